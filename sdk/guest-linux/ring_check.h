/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef VENEER_RING_CHECK_H
#define VENEER_RING_CHECK_H

/* 0 when the shared ring implementation works in this kernel. */
int veneer_ring_check(void);

#endif
