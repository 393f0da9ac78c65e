/* SPDX-License-Identifier: MIT */
/*
 * The console tells the hypervisor's lines ("[hv] ...") from partition
 * lines ("[name] ...") only by the prefix.  A root with the management
 * privilege names its children: a child it names "hv" prints lines that
 * cannot be told from the hypervisor's own.
 */
#include <check.h>
#include <string.h>

#include <hv/log.h>

#include "fixture.h"

#define MEM(code) ((u64)(code))
#define IN_GPA	  0x4000ull
#define OUT_GPA	  0x6000ull

extern char fake_console[];
void fake_console_reset(void);

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

/* What such a child prints, next to what the hypervisor prints. */
START_TEST(a_partition_named_hv_forges_hypervisor_lines)
{
	struct hv_partition *p;
	struct vnr_debug_write_input *in;
	const char text[] = "partition 1 'victim' stopped: triple fault\n";

	fx_reset();
	p = fx_partition("hv", VNR_PRIV_MASK(DEBUG_CONSOLE));
	in = (void *)(fx_ram(p) + IN_GPA);
	memset(in, 0, sizeof(*in));
	in->length = sizeof(text) - 1;
	memcpy(in->data, text, sizeof(text) - 1);
	fake_console_reset();
	ck_assert(fx_call(&p->vps[0], MEM(VNR_CALL_DEBUG_WRITE), IN_GPA, 0));
	ck_assert_int_eq(fx_status(&p->vps[0]), VNR_STATUS_SUCCESS);
	ck_assert_str_ne(fake_console, "[hv] "
				       "partition 1 'victim' stopped: "
				       "triple fault\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("attack2_console");
	TCase *tc = tcase_create("console");

	tcase_add_test(tc, a_child_cannot_be_named_like_the_hypervisor);
	tcase_add_test(tc, a_partition_named_hv_forges_hypervisor_lines);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
