/* SPDX-License-Identifier: MIT */
/*
 * The Veneer PCI function's configuration space (hv/arch/x86/root_pci.c),
 * built hosted and alone: a fake bus 0 behind CONFIG_ADDRESS (0xCF8) and
 * fakes of the vendor layer and of hv_log.  The expected space is the
 * table of docs/spec/root-stack.md, kept here as a model that writes
 * update; every access is an IN or OUT at 0xCFC-0xCFF as the root's exit
 * reports it.  The data ports are a 4-byte window on the selected dword:
 * bytes of an access past 0xCFF read 0xFF and are not written, and no
 * access reaches another dword.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <hv/log.h>
#include <veneer/dispatch.h>

#include "../../hv/arch/x86/cpu.h"
#include "../../hv/arch/x86/root_exit.h"

#define CONFIG_ADDRESS 0xCF8
#define CONFIG_DATA    0xCFC
#define ENABLE	       0x80000000u
#define ADDRESS(bus, dev, fn, offset) \
	(ENABLE | (bus) << 16 | (dev) << 11 | (fn) << 8 | (offset))
#define FREE_DEVICE   30u /* the highest free number of the fake bus */
#define ALSO_FREE     29u
#define OTHER_DEVICE  31u
#define OTHER_VENDOR  0x1022u
#define SAVED_ADDRESS 0x8000F8ACu /* what the root left in CONFIG_ADDRESS */
#define RAX_SENTINEL  0xA5A5A5A5A5A5A5A5ull
#define IDS	      (VNR_PCI_VENDOR_ID | VNR_PCI_DEVICE_ID << 16)

/* The fake bus 0: every device present but those free (when bus_has_free). */
static u32 fake_address;
static bool bus_has_free;
static char logged[128];

static bool present(u32 address)
{
	u32 dev = (address >> 11) & 0x1F;

	return !bus_has_free || (dev != FREE_DEVICE && dev != ALSO_FREE);
}

void outl(u16 port, u32 v)
{
	ck_assert_msg(port == CONFIG_ADDRESS, "OUT to port 0x%x", port);
	fake_address = v;
}

u32 inl(u16 port)
{
	ck_assert_msg(port == CONFIG_ADDRESS, "IN from port 0x%x", port);
	return fake_address;
}

/* Only root_pci_init's probe of a vendor id reads the hardware's data. */
u16 inw(u16 port)
{
	ck_assert_msg(port == CONFIG_DATA, "IN from port 0x%x", port);
	ck_assert_msg((fake_address & ~0xF800u) == ENABLE,
		      "probe of 0x%08x is not a function 0 of bus 0",
		      fake_address);
	return present(fake_address) ? OTHER_VENDOR : 0xFFFF;
}

void hv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logged, sizeof(logged), fmt, ap);
	va_end(ap);
}

/* The vendor layer and the pass-through, counted. */
static u32 skipped, passed, injected, injected_vector;

void vendor_skip_instruction(struct hv_vp *vp, const struct x86_exit *exit)
{
	(void)vp, (void)exit;
	skipped++;
}

void vendor_inject_exception(struct hv_vp *vp, u8 vector, bool has_error,
			     u32 error_code)
{
	(void)vp;
	ck_assert(has_error && error_code == 0);
	injected_vector = vector;
	injected++;
}

void root_pass_io(struct hv_vp *vp, const struct x86_exit *e)
{
	(void)vp, (void)e;
	passed++;
}

/* The function's space as the spec's table has it, and its writable bits. */
static u8 model[256], writable[256];

static void put16(u32 offset, u32 v)
{
	model[offset] = (u8)v;
	model[offset + 1] = (u8)(v >> 8);
}

static void build_model(void)
{
	memset(model, 0, sizeof(model));
	memset(writable, 0, sizeof(writable));
	put16(0x00, VNR_PCI_VENDOR_ID);
	put16(0x02, VNR_PCI_DEVICE_ID);
	put16(0x06, 0x0010);
	model[0x08] = 1;
	model[0x09] = (u8)VNR_PCI_CLASS;
	model[0x0A] = (u8)(VNR_PCI_CLASS >> 8);
	model[0x0B] = (u8)(VNR_PCI_CLASS >> 16);
	put16(0x2C, VNR_PCI_VENDOR_ID);
	put16(0x2E, VNR_PCI_DEVICE_ID);
	model[0x34] = 0x40;
	model[0x40] = 0x05; /* MSI, no next capability */
	put16(0x42, 0x0080);
	writable[0x04] = 0x07;			    /* command bits 0-2 */
	writable[0x05] = 0x04;			    /* command bit 10 */
	writable[0x42] = 0x01;			    /* MSI enable */
	writable[0x44] = 0xFC;			    /* address bits 31:2 */
	memset(&writable[0x45], 0xFF, 0x4E - 0x45); /* address, data 15:0 */
}

static struct hv_vp vp;

static void setup_bus(bool has_free)
{
	memset(&vp, 0, sizeof(vp));
	bus_has_free = has_free;
	fake_address = SAVED_ADDRESS;
	logged[0] = 0;
	skipped = passed = injected = injected_vector = 0;
	build_model();
	root_pci_init();
}

static void setup(void)
{
	setup_bus(true);
}

/* An IN or OUT of size bytes at port; true when the function handled it. */
static bool io(u16 port, u8 size, bool write, bool string)
{
	struct x86_exit e = {.reason = HV_EXIT_IO,
			     .qualification = port,
			     .write = write,
			     .io_byte = size == 1 && !string,
			     .io_string = string,
			     .io_size = size};

	return root_pci_access(&vp, &e);
}

static u64 mask_of(u32 size)
{
	return size == 4 ? 0xFFFFFFFFull : (1ull << (8 * size)) - 1;
}

/*
 * An IN at port of size bytes, with CONFIG_ADDRESS as it is: its value,
 * having checked the rest of RAX (kept by 1- and 2-byte INs, cleared by a
 * 4-byte one, as the CPU does) and that it was handled, not passed on.
 * The checks of in, out and expect_space abort only on a failure: the
 * exhaustive tests make too many accesses for a Check mark at each.
 */
static u32 in(u16 port, u8 size)
{
	u32 before = skipped;
	u64 rax, rest;

	vp.regs[HV_REG_RAX] = RAX_SENTINEL;
	if (!io(port, size, false, false) || skipped != before + 1 || passed)
		ck_abort_msg("IN of %u bytes at 0x%x not handled", size, port);
	rax = vp.regs[HV_REG_RAX];
	rest = size == 4 ? 0 : RAX_SENTINEL & ~mask_of(size);
	if ((rax & ~mask_of(size)) != rest)
		ck_abort_msg("IN of %u bytes at 0x%x left RAX 0x%016llx", size,
			     port, (unsigned long long)rax);
	return (u32)(rax & mask_of(size));
}

static void out(u16 port, u8 size, u32 value)
{
	u32 before = skipped;

	vp.regs[HV_REG_RAX] = RAX_SENTINEL & ~0xFFFFFFFFull;
	vp.regs[HV_REG_RAX] |= value & mask_of(size);
	if (!io(port, size, true, false) || skipped != before + 1 || passed)
		ck_abort_msg("OUT of %u bytes at 0x%x not handled", size, port);
}

static void select_dword(u32 fn, u32 offset)
{
	fake_address = ADDRESS(0u, FREE_DEVICE, fn, offset);
}

/* What the model says an IN of size at port CONFIG_DATA + k reads. */
static u32 expected_read(u32 dword, u32 k, u32 size)
{
	u32 v = 0;

	for (u32 i = 0; i < size; i++)
		v |= (u32)(k + i < 4 ? model[dword + k + i] : 0xFF) << (8 * i);
	return v;
}

/* The model after an OUT of size at port CONFIG_DATA + k. */
static void expected_write(u32 dword, u32 k, u32 size, u32 value)
{
	for (u32 i = 0; i < size && k + i < 4; i++) {
		u32 o = dword + k + i;
		u8 b = (u8)(value >> (8 * i));

		model[o] = (u8)((model[o] & ~writable[o]) | (b & writable[o]));
	}
}

/* Fails unless every dword of function 0 reads as the model says. */
static void expect_space(const char *after)
{
	for (u32 d = 0; d < 256; d += 4) {
		u32 want = expected_read(d, 0, 4), got;

		select_dword(0, d);
		got = in(CONFIG_DATA, 4);
		if (got != want)
			ck_abort_msg("dword 0x%02x reads 0x%08x, not 0x%08x, "
				     "after %s",
				     d, got, want, after);
	}
}

START_TEST(init_takes_the_highest_free_number_and_restores_the_address)
{
	ck_assert_uint_eq(fake_address, SAVED_ADDRESS);
	ck_assert_str_eq(logged, "root: Veneer PCI function at 0000:00:1e.0\n");
	select_dword(0, 0);
	ck_assert_uint_eq(in(CONFIG_DATA, 4), IDS);
}
END_TEST

START_TEST(every_dword_reads_as_the_spec_says)
{
	expect_space("init");
}
END_TEST

/* Each port and width of the ids' dword, and of the last dword, spelled out. */
START_TEST(ids_and_last_dword_at_every_port_and_width)
{
	static const struct {
		u16 port;
		u8 size;
		u32 ids, last;
	} reads[] = {
		{0xCFC, 1, IDS & 0xFF, 0x00},
		{0xCFC, 2, IDS & 0xFFFF, 0x0000},
		{0xCFC, 4, IDS, 0x00000000},
		{0xCFD, 1, (IDS >> 8) & 0xFF, 0x00},
		{0xCFD, 2, (IDS >> 8) & 0xFFFF, 0x0000},
		{0xCFD, 4, 0xFF000000 | IDS >> 8, 0xFF000000},
		{0xCFE, 1, (IDS >> 16) & 0xFF, 0x00},
		{0xCFE, 2, IDS >> 16, 0x0000},
		{0xCFE, 4, 0xFFFF0000 | IDS >> 16, 0xFFFF0000},
		{0xCFF, 1, IDS >> 24, 0x00},
		{0xCFF, 2, 0xFF00 | IDS >> 24, 0xFF00},
		{0xCFF, 4, 0xFFFFFF00 | IDS >> 24, 0xFFFFFF00},
	};

	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		select_dword(0, 0x00);
		ck_assert_msg(in(reads[i].port, reads[i].size) == reads[i].ids,
			      "ids: IN of %u at 0x%x", reads[i].size,
			      reads[i].port);
		select_dword(0, 0xFC);
		ck_assert_msg(in(reads[i].port, reads[i].size) == reads[i].last,
			      "0xFC: IN of %u at 0x%x", reads[i].size,
			      reads[i].port);
	}
}
END_TEST

START_TEST(every_dword_reads_at_every_port_and_width)
{
	static const u8 sizes[] = {1, 2, 4};

	for (u32 d = 0; d < 256; d += 4)
		for (u32 k = 0; k < 4; k++)
			for (u32 s = 0; s < 3; s++) {
				select_dword(0, d);
				ck_assert_msg(
					in((u16)(CONFIG_DATA + k), sizes[s]) ==
						expected_read(d, k, sizes[s]),
					"dword 0x%02x: IN of %u at 0x%x", d,
					sizes[s], CONFIG_DATA + k);
			}
}
END_TEST

/* The MSI capability's writable bits, from each port, in one value. */
START_TEST(msi_fields_take_their_writable_bits_only)
{
	select_dword(0, 0x40);
	out(0xCFC, 4, 0xFFFFFFFF);
	ck_assert_uint_eq(in(0xCFC, 4), 0x00810005); /* enable; id, 64-bit */
	out(0xCFE, 2, 0x0000);
	ck_assert_uint_eq(in(0xCFC, 4), 0x00800005);
	out(0xCFE, 1, 0x01);
	ck_assert_uint_eq(in(0xCFE, 2), 0x0081);
	select_dword(0, 0x44);
	out(0xCFC, 4, 0xFFFFFFFF);
	ck_assert_uint_eq(in(0xCFC, 4), 0xFFFFFFFC);
	out(0xCFD, 2, 0x1234);
	ck_assert_uint_eq(in(0xCFC, 4), 0xFF1234FC);
	out(0xCFF, 1, 0x00);
	ck_assert_uint_eq(in(0xCFC, 4), 0x001234FC);
	select_dword(0, 0x48);
	out(0xCFC, 4, 0x89ABCDEF);
	ck_assert_uint_eq(in(0xCFC, 4), 0x89ABCDEF);
	select_dword(0, 0x4C);
	out(0xCFC, 4, 0xFFFFFFFF);
	ck_assert_uint_eq(in(0xCFC, 4), 0x0000FFFF);
	out(0xCFE, 2, 0xFFFF);
	ck_assert_uint_eq(in(0xCFC, 4), 0x0000FFFF);
	select_dword(0, 0x04);
	out(0xCFC, 4, 0xFFFFFFFF);
	ck_assert_uint_eq(in(0xCFC, 4), 0x00100407); /* status stays */
}
END_TEST

START_TEST(read_only_registers_ignore_writes)
{
	static const u32 read_only[] = {0x00, 0x08, 0x0C, 0x10, 0x24,
					0x2C, 0x34, 0x3C, 0x50, 0xFC};

	for (size_t i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++)
		for (u32 k = 0; k < 4; k++) {
			select_dword(0, read_only[i]);
			out((u16)(CONFIG_DATA + k), 4, 0xFFFFFFFF);
			out((u16)(CONFIG_DATA + k), 2, 0x0000);
			out((u16)(CONFIG_DATA + k), 1, 0x5A);
		}
	expect_space("writes of read-only registers");
}
END_TEST

/*
 * Writes whose width runs past 0xCFF stop at the window's end: the next
 * dword is not touched (the first bytes of 0x44 and 0x4C are writable),
 * nor is the first one for an access at the last dword.
 */
START_TEST(writes_past_the_window_stay_in_their_dword)
{
	select_dword(0, 0x40);
	out(0xCFE, 4, 0xFFFFFFFF);
	select_dword(0, 0x40);
	ck_assert_uint_eq(in(0xCFC, 4), 0x00810005);
	select_dword(0, 0x44);
	ck_assert_uint_eq(in(0xCFC, 4), 0);

	select_dword(0, 0x48);
	out(0xCFD, 4, 0xFFFFFFFF);
	out(0xCFF, 2, 0xFFFF);
	ck_assert_uint_eq(in(0xCFC, 4), 0xFFFFFF00);
	select_dword(0, 0x4C);
	ck_assert_uint_eq(in(0xCFC, 4), 0);

	select_dword(0, 0xFC);
	out(0xCFF, 4, 0xFFFFFFFF);
	out(0xCFE, 2, 0xFFFF);
	select_dword(0, 0x00);
	ck_assert_uint_eq(in(0xCFC, 4), IDS);
}
END_TEST

/* Every OUT, at every dword, port and width: only its own bytes change. */
START_TEST(no_write_lands_outside_its_bytes)
{
	static const u8 sizes[] = {1, 2, 4};
	static const u32 values[] = {0xFFFFFFFF, 0x00000000, 0x5AA55AA5};
	char what[64];

	for (u32 v = 0; v < 3; v++)
		for (u32 d = 0; d < 256; d += 4)
			for (u32 k = 0; k < 4; k++)
				for (u32 s = 0; s < 3; s++) {
					select_dword(0, d);
					out((u16)(CONFIG_DATA + k), sizes[s],
					    values[v]);
					expected_write(d, k, sizes[s],
						       values[v]);
					snprintf(what, sizeof(what),
						 "OUT of %u 0x%08x at 0x%x, "
						 "dword 0x%02x",
						 sizes[s], values[v],
						 CONFIG_DATA + k, d);
					expect_space(what);
				}
}
END_TEST

START_TEST(functions_1_to_7_read_0xff_and_ignore_writes)
{
	static const u8 sizes[] = {1, 2, 4};

	for (u32 fn = 1; fn < 8; fn++)
		for (u32 k = 0; k < 4; k++)
			for (u32 s = 0; s < 3; s++) {
				fake_address =
					ADDRESS(0u, FREE_DEVICE, fn, 0x44);
				out((u16)(CONFIG_DATA + k), sizes[s],
				    0xFFFFFFFF);
				ck_assert_uint_eq(
					in((u16)(CONFIG_DATA + k), sizes[s]),
					mask_of(sizes[s]));
			}
	expect_space("writes of functions 1-7");
}
END_TEST

/* Another device, another bus or the enable bit clear: the hardware's. */
START_TEST(other_addresses_go_to_the_hardware)
{
	static const u32 others[] = {
		ADDRESS(0u, OTHER_DEVICE, 0u, 0x44),
		ADDRESS(0u, ALSO_FREE, 0u, 0x44),
		ADDRESS(1u, FREE_DEVICE, 0u, 0x44),
		ADDRESS(0u, FREE_DEVICE, 0u, 0x44) & ~ENABLE,
	};

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		for (u16 port = CONFIG_DATA; port < CONFIG_DATA + 4; port++) {
			fake_address = others[i];
			passed = 0;
			vp.regs[HV_REG_RAX] = RAX_SENTINEL;
			ck_assert(io(port, 4, true, false));
			ck_assert(io(port, 1, false, false));
			ck_assert_uint_eq(passed, 2);
			ck_assert_uint_eq(vp.regs[HV_REG_RAX], RAX_SENTINEL);
		}
	passed = 0;
	expect_space("writes of other addresses");
}
END_TEST

START_TEST(string_io_raises_gp_and_other_ports_are_not_ours)
{
	select_dword(0, 0x44);
	ck_assert(io(0xCFC, 4, true, true));
	ck_assert(io(0xCFF, 1, false, true));
	ck_assert_uint_eq(injected, 2);
	ck_assert_uint_eq(injected_vector, X86_VECTOR_GP);
	ck_assert_uint_eq(skipped, 0);
	ck_assert(!io(0xCF8, 4, false, false));
	ck_assert(!io(0xCFB, 1, true, false));
	ck_assert(!io(0xD00, 1, true, false));
	ck_assert_uint_eq(skipped + passed + injected, 2);
	expect_space("string I/O");
}
END_TEST

START_TEST(a_full_bus_has_no_function)
{
	setup_bus(false);
	ck_assert_uint_eq(fake_address, SAVED_ADDRESS);
	ck_assert_str_eq(logged, "root: bus 0 has no free device number: no "
				 "Veneer PCI function\n");
	select_dword(0, 0x00);
	ck_assert(io(0xCFC, 4, false, false));
	ck_assert_uint_eq(passed, 1);
	arch_raise_root_interrupt(); /* nothing to send, nothing sent */
}
END_TEST

static Suite *root_pci_suite(void)
{
	Suite *s = suite_create("root_pci");
	TCase *tc = tcase_create("config");
	TCase *bare = tcase_create("init");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60); /* the exhaustive ones, sanitized */
	tcase_add_test(
		tc,
		init_takes_the_highest_free_number_and_restores_the_address);
	tcase_add_test(tc, every_dword_reads_as_the_spec_says);
	tcase_add_test(tc, ids_and_last_dword_at_every_port_and_width);
	tcase_add_test(tc, every_dword_reads_at_every_port_and_width);
	tcase_add_test(tc, msi_fields_take_their_writable_bits_only);
	tcase_add_test(tc, read_only_registers_ignore_writes);
	tcase_add_test(tc, writes_past_the_window_stay_in_their_dword);
	tcase_add_test(tc, no_write_lands_outside_its_bytes);
	tcase_add_test(tc, functions_1_to_7_read_0xff_and_ignore_writes);
	tcase_add_test(tc, other_addresses_go_to_the_hardware);
	tcase_add_test(tc, string_io_raises_gp_and_other_ports_are_not_ours);
	tcase_add_test(bare, a_full_bus_has_no_function);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, bare);
	return s;
}

/*
 * The function's state is root_pci.c's statics, set once by
 * root_pci_init: each test runs in its own process (whatever CK_FORK
 * says) so that each starts from a fresh function.
 */
int main(void)
{
	SRunner *sr = srunner_create(root_pci_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
