/* SPDX-License-Identifier: MIT */
/* The whole Veneer guest ABI. */
#ifndef VENEER_ABI_H
#define VENEER_ABI_H

#include "types.h"
#include "version.h"
#include "status.h"
#include "privileges.h"
#include "calls.h"
#include "hypercall.h"
#include "cpuid.h"
#include "msr.h"
#include "boot.h"
#include "info.h"
#include "synic.h"
#include "ipc.h"
#include "ring.h"
#include "channel.h"
#include "mgmt.h"
#include "dispatch.h"

#endif /* VENEER_ABI_H */
