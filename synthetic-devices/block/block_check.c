// SPDX-License-Identifier: MIT
/* Request checks shared by the block backends (block_check.h). */
#include "block_check.h"

static int range_valid(const struct vnr_block_request *r,
		       const struct vnr_block_limits *l)
{
	return r->sectors && r->sectors <= l->max_sectors &&
	       r->sector < l->sectors && r->sectors <= l->sectors - r->sector;
}

static int data_valid(const struct vnr_block_request *r,
		      const struct vnr_block_limits *l)
{
	vnr_u64 bytes = (vnr_u64)r->sectors * VNR_BLOCK_SECTOR_SIZE;

	return r->data_offset % VNR_BLOCK_SECTOR_SIZE == 0 &&
	       r->data_offset <= l->area_bytes &&
	       bytes <= l->area_bytes - r->data_offset;
}

/* A well-formed request's status: what the features offer. */
static vnr_u32 offered(const struct vnr_block_request *r, vnr_u32 features)
{
	int ro = features & VNR_BLOCK_F_READ_ONLY;
	int ok;

	if ((r->flags & VNR_BLOCK_REQ_FUA) && !(features & VNR_BLOCK_F_FLUSH))
		return VNR_BLOCK_S_UNSUPPORTED;
	switch (r->op) {
	case VNR_BLOCK_OP_WRITE:
		ok = !ro;
		break;
	case VNR_BLOCK_OP_FLUSH:
		ok = features & VNR_BLOCK_F_FLUSH;
		break;
	case VNR_BLOCK_OP_DISCARD:
		ok = !ro && (features & VNR_BLOCK_F_DISCARD);
		break;
	default:
		ok = 1;
		break;
	}
	return ok ? VNR_BLOCK_S_OK : VNR_BLOCK_S_UNSUPPORTED;
}

vnr_u32 vnr_block_check(const struct vnr_block_request *r,
			const struct vnr_block_limits *l)
{
	int valid;

	if (r->reserved || (r->flags & ~VNR_BLOCK_REQ_FUA))
		return VNR_BLOCK_S_BAD_REQUEST;
	switch (r->op) {
	case VNR_BLOCK_OP_READ:
	case VNR_BLOCK_OP_WRITE:
		valid = range_valid(r, l) && data_valid(r, l);
		break;
	case VNR_BLOCK_OP_FLUSH:
		valid = !r->sectors;
		break;
	case VNR_BLOCK_OP_DISCARD:
		valid = range_valid(r, l);
		break;
	default:
		return VNR_BLOCK_S_UNSUPPORTED;
	}
	return valid ? offered(r, l->features) : VNR_BLOCK_S_BAD_REQUEST;
}
