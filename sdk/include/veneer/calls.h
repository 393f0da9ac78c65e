/* SPDX-License-Identifier: MIT */
/* Hypercall codes and their calling forms, generated from calls.def. */
#ifndef VENEER_CALLS_H
#define VENEER_CALLS_H

#include "privileges.h"

/* How a call takes its arguments (see docs/spec/conventions.md). */
enum vnr_call_form {
	VNR_CALL_FORM_FAST,   /* registers only; the fast bit must be set */
	VNR_CALL_FORM_MEMORY, /* input/output pages; fast bit and rep count
				 clear */
	VNR_CALL_FORM_REP,    /* input/output pages with a non-zero rep count */
};

enum vnr_call_code {
#define VNR_CALL(name, code, form, priv) VNR_CALL_##name = (code),
#include "calls.def"
#undef VNR_CALL
};

/*
 * One past the highest assigned call code, the size of a dispatch table
 * indexed by code: a union is as large as its largest member.
 */
union vnr_call_bound_probe {
#define VNR_CALL(name, code, form, priv) char name[(code) + 1];
#include "calls.def"
#undef VNR_CALL
};
#define VNR_CALL_BOUND sizeof(union vnr_call_bound_probe)

#endif /* VENEER_CALLS_H */
