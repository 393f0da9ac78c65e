/* SPDX-License-Identifier: MIT */
/*
 * The console tells the hypervisor's lines ("[hv] ...") from partition
 * lines ("[name] ...") only by the prefix, so no partition may be named
 * "hv": neither a child a root names nor one of the configuration.
 */
#include <check.h>
#include <string.h>

#include <hv/config.h>

#include "fixture.h"

#define MEM(code) ((u64)(code))
#define IN_GPA	  0x4000ull
#define OUT_GPA	  0x6000ull

static enum vnr_status create_child(struct hv_partition *root, const char *name,
				    u64 privileges)
{
	struct vnr_partition_create_input *in = (void *)(fx_ram(root) + IN_GPA);

	memset(in, 0, sizeof(*in));
	strcpy(in->name, name);
	in->privileges = privileges;
	in->vp_count = 1;
	ck_assert(fx_call(&root->vps[0], MEM(VNR_CALL_PARTITION_CREATE), IN_GPA,
			  OUT_GPA));
	return fx_status(&root->vps[0]);
}

START_TEST(a_child_cannot_be_named_like_the_hypervisor)
{
	struct hv_partition *root;

	fx_reset();
	root = fx_partition("root", VNR_PRIV_MASK(CREATE_PARTITIONS) |
					    VNR_PRIV_MASK(DEBUG_CONSOLE));
	ck_assert_int_eq(create_child(root, "hv", VNR_PRIV_MASK(DEBUG_CONSOLE)),
			 VNR_STATUS_INVALID_PARAMETER);
}
END_TEST

/* Nor can a configured partition: "[hv]" lines are the hypervisor's. */
START_TEST(a_configured_partition_cannot_be_named_hv)
{
	static const char text[] = "[partition hv]\nimage = x.elf\n"
				   "memory = 4M\n";
	static struct hv_config cfg;
	char err[256];

	ck_assert(!hv_config_parse(text, sizeof(text) - 1, "t.cfg", &cfg, err,
				   sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "invalid partition name 'hv'"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("name");
	TCase *tc = tcase_create("console");

	tcase_add_test(tc, a_child_cannot_be_named_like_the_hypervisor);
	tcase_add_test(tc, a_configured_partition_cannot_be_named_hv);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
