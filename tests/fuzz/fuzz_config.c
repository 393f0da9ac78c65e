/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: hv_config_parse() on arbitrary bytes.  Properties: no
 * memory error (ASan/UBSan), errors are "fuzz.cfg:<line>: ..." and
 * terminated within err_size, accepted configurations keep the limits
 * documented in hv/include/hv/config.h.
 */
#include <string.h>

#include <hv/config.h>

#include "fuzz_util.h"

static void check_string(const char *s, size_t size)
{
	FUZZ_ASSERT(memchr(s, 0, size) != NULL);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const size_t err_sizes[] = {256, 1, 2, 17, 64};
	struct hv_config cfg;
	char err[256 + 16];
	size_t err_size = err_sizes[size % ARRAY_SIZE(err_sizes)];
	bool ok;

	memset(&cfg, 0xA5, sizeof(cfg));
	memset(err, 0x5A, sizeof(err));
	ok = hv_config_parse((const char *)data, size, "fuzz.cfg", &cfg,
			     size % 7 == 3 ? NULL : err, err_size);
	/* nothing written past err_size */
	for (size_t i = err_size; i < sizeof(err); i++)
		FUZZ_ASSERT(err[i] == 0x5A);
	if (!ok) {
		if (size % 7 != 3) {
			check_string(err, err_size);
			if (err_size >= sizeof("fuzz.cfg:"))
				FUZZ_ASSERT(!strncmp(
					err, "fuzz.cfg:",
					err_size - 1 < 9 ? err_size - 1 : 9));
		}
		return 0;
	}
	/* [root] alone is a whole configuration: the root makes the rest. */
	FUZZ_ASSERT((cfg.partition_count >= 1 || cfg.root.present) &&
		    cfg.partition_count <= HV_MAX_PARTITIONS);
	FUZZ_ASSERT(cfg.timeslice_ms >= 1 &&
		    cfg.timeslice_ms <= HV_CONFIG_TIMESLICE_MAX);
	for (u32 i = 0; i < cfg.partition_count; i++) {
		const struct hv_partition_config *pc = &cfg.partitions[i];

		check_string(pc->name, sizeof(pc->name));
		check_string(pc->image, sizeof(pc->image));
		check_string(pc->kernel, sizeof(pc->kernel));
		check_string(pc->initrd, sizeof(pc->initrd));
		check_string(pc->cmdline, sizeof(pc->cmdline));
		FUZZ_ASSERT(pc->name[0] != 0);
		/* an image or a kernel, never both; an initrd only with one */
		FUZZ_ASSERT(!pc->image[0] != !pc->kernel[0]);
		FUZZ_ASSERT(!pc->initrd[0] || pc->kernel[0]);
		FUZZ_ASSERT(!pc->kernel[0] ||
			    (pc->memory_bytes <= HV_CONFIG_KERNEL_MEMORY_MAX &&
			     !pc->root));
		FUZZ_ASSERT(pc->memory_bytes >= HV_CONFIG_MEMORY_MIN &&
			    pc->memory_bytes <= HV_CONFIG_MEMORY_MAX &&
			    pc->memory_bytes % HV_CONFIG_MEMORY_ALIGN == 0);
		FUZZ_ASSERT(pc->vp_count >= 1 && pc->vp_count <= HV_MAX_VPS);
		FUZZ_ASSERT((pc->privileges & ~0xFull) == 0);
		/* names are unique */
		for (u32 j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(cfg.partitions[j].name, pc->name));
	}
	return 0;
}
