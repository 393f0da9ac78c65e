/* SPDX-License-Identifier: MIT */
/* Partition privilege and hypervisor feature bits. */
#ifndef VENEER_PRIVILEGES_H
#define VENEER_PRIVILEGES_H

enum vnr_privilege_bit {
#define VNR_PRIV(name, bit) VNR_PRIV_BIT_##name = (bit),
#include "privileges.def"
#undef VNR_PRIV
};

#define VNR_PRIV_NONE	    0ull
#define VNR_PRIV_MASK(name) (1ull << VNR_PRIV_BIT_##name)

enum vnr_feature_bit {
#define VNR_FEATURE(name, bit) VNR_FEATURE_BIT_##name = (bit),
#include "features.def"
#undef VNR_FEATURE
};

#define VNR_FEATURE_MASK(name) (1u << VNR_FEATURE_BIT_##name)

#endif /* VENEER_PRIVILEGES_H */
