/* SPDX-License-Identifier: MIT */
/* Everything a freestanding Veneer guest needs, in one include. */
#ifndef VNR_GUEST_GUEST_H
#define VNR_GUEST_GUEST_H

#include <veneer/abi.h>
#include <vnr_guest/cmdline.h>
#include <vnr_guest/console.h>
#include <vnr_guest/cpu.h>
#include <vnr_guest/discovery.h>
#include <vnr_guest/exception.h>
#include <vnr_guest/grant.h>
#include <vnr_guest/hypercall.h>
#include <vnr_guest/irq.h>
#include <vnr_guest/start.h>
#include <vnr_guest/synic.h>
#include <vnr_guest/time.h>
#include <libvnr/string.h>

#endif /* VNR_GUEST_GUEST_H */
