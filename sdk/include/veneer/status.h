/* SPDX-License-Identifier: MIT */
/* Hypercall status codes, generated from status.def. */
#ifndef VENEER_STATUS_H
#define VENEER_STATUS_H

enum vnr_status {
#define VNR_STATUS(name, code) VNR_STATUS_##name = (code),
#include "status.def"
#undef VNR_STATUS
};

#endif /* VENEER_STATUS_H */
