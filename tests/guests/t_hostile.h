/* SPDX-License-Identifier: MIT */
#ifndef T_HOSTILE_H
#define T_HOSTILE_H

#include <veneer/types.h>

/* Makes count random hypercalls; none may touch memory outside scratch. */
void hostile_fuzz(vnr_u64 seed, vnr_u64 count, vnr_u64 ram_end);

#endif /* T_HOSTILE_H */
