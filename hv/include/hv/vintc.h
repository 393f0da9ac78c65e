/* SPDX-License-Identifier: MIT */
/*
 * The virtual interrupt controller of a VP: which synthetic interrupt
 * vectors are pending and which are in service.  Like an APIC, the highest
 * pending vector is delivered when it is above every vector in service; an
 * auto-EOI vector never enters service, the others leave it on an EOI; a
 * vector of the task priority's class or below waits.
 * The backend asks for the vector to inject when the guest can take one.
 */
#ifndef HV_VINTC_H
#define HV_VINTC_H

#include <hv/types.h>

struct hv_vintc {
	u64 pending[4];
	u64 in_service[4];
	u64 auto_eoi[4]; /* pending vectors that skip the in-service state */
	bool any_pending;
	/* A task priority, as a local APIC's TPR: a vector of its class
	 * (bits 7:4) or below waits.  0 for a Veneer guest. */
	u8 priority;
};

/* Makes vector pending (again, if it was); auto_eoi: it will skip service. */
void vintc_raise(struct hv_vintc *c, u8 vector, bool auto_eoi);
/* The vector to deliver now, or -1. */
int vintc_deliverable(const struct hv_vintc *c);
/* The guest took vector: it leaves pending (and enters service). */
void vintc_accept(struct hv_vintc *c, u8 vector);
/* Ends the highest vector in service. */
void vintc_eoi(struct hv_vintc *c);

#endif /* HV_VINTC_H */
