/* SPDX-License-Identifier: MIT */
/*
 * A PC-platform partition's PCI bus (hv/arch/x86/pc_pci.c and
 * pci_space.c) through its configuration ports, as pc_platform.c serves
 * them, and the synthetic interrupts its Veneer function's MSI carries
 * (docs/spec/pc-platform.md, "PCI").  Built hosted like test_pc_platform.
 */
#include <check.h>
#include <string.h>

#include <hv/synic.h>
#include <veneer/msr.h>
#include <veneer/pci.h>
#include <veneer/synic.h>

#include "../../hv/arch/x86/cpu.h"
#include "../../hv/arch/x86/guest.h"
#include "../../hv/arch/x86/pc_platform.h"
#include "../../hv/arch/x86/vendor.h"
#include "../../hv/arch/x86/vlapic.h"
#include "../../hv/arch/x86/vp_state.h"
#include "fake_pc_vendor.h"
#include "fixture.h"
#include "pc_fixture.h"

#define ADDRESS	   0xCF8
#define DATA	   0xCFC
#define ENABLE	   0x80000000u
#define BRIDGE	   (ENABLE | 0 << 11)
#define FUNCTION   (ENABLE | 1 << 11)
#define MSI	   0x40
#define SIEFP_GPA  0x6000ull /* in the fixture's RAM */
#define MSI_VECTOR 0x41u
#define SINT	   3u

static struct hv_partition *p;
static struct hv_vp *vp;

static void setup(void)
{
	vp = pc_fx_setup(&p, 0);
}

static void teardown(void)
{
	pc_fx_teardown(p);
}

static u64 in(u16 port, u8 size)
{
	return pc_fx_in(vp, port, size, 0x1122334455667788ull);
}

static void out(u16 port, u8 size, u32 value)
{
	pc_fx_out(vp, port, size, value);
}

/* A dword of configuration space, as Linux's conf1 accessors read it. */
static u32 config_read(u32 device, u32 offset)
{
	out(ADDRESS, 4, device | offset);
	return (u32)in(DATA, 4);
}

static void config_write(u32 device, u32 offset, u32 value)
{
	out(ADDRESS, 4, device | offset);
	out(DATA, 4, value);
}

/* Linux's pci_check_type1(): the address register reads back. */
START_TEST(type1_probe_finds_the_address_register)
{
	out(ADDRESS + 3, 1, 0x01); /* a byte: no register */
	ck_assert_uint_eq(in(ADDRESS, 4), 0);
	out(ADDRESS, 4, ENABLE);
	ck_assert_uint_eq(in(ADDRESS, 4), ENABLE);
	/* Narrower accesses reach no register: all ones, RAX's top kept. */
	ck_assert_uint_eq(in(ADDRESS, 2), 0x112233445566FFFFull);
	ck_assert_uint_eq(in(ADDRESS + 1, 1), 0x11223344556677FFull);
	ck_assert_uint_eq(fake_completions, 6);
}
END_TEST

START_TEST(address_keeps_no_reserved_bits)
{
	out(ADDRESS, 4, 0xFFFFFFFFu);
	ck_assert_uint_eq(in(ADDRESS, 4), 0x80FFFFFCu);
	out(ADDRESS, 4, 0x7F000003u);
	ck_assert_uint_eq(in(ADDRESS, 4), 0);
}
END_TEST

/* Linux's pci_sanity_check() looks for a host bridge on bus 0. */
START_TEST(bus_0_has_the_host_bridge_and_the_function)
{
	ck_assert_uint_eq(config_read(BRIDGE, 0x00),
			  VNR_PCI_DEVICE_ID_HOST_BRIDGE << 16 |
				  VNR_PCI_VENDOR_ID);
	ck_assert_uint_eq(config_read(BRIDGE, 0x08) >> 8,
			  VNR_PCI_CLASS_HOST_BRIDGE);
	out(ADDRESS, 4, BRIDGE | 0x08);
	ck_assert_uint_eq(in(DATA + 2, 2) & 0xFFFF, 0x0600);
	ck_assert_uint_eq(config_read(BRIDGE, 0x34), 0); /* no capabilities */
	ck_assert_uint_eq(config_read(FUNCTION, 0x00),
			  VNR_PCI_DEVICE_ID_GUEST << 16 | VNR_PCI_VENDOR_ID);
	ck_assert_uint_eq(config_read(FUNCTION, 0x08) >> 8, VNR_PCI_CLASS);
	ck_assert_uint_eq(config_read(FUNCTION, 0x2C),
			  VNR_PCI_DEVICE_ID_GUEST << 16 | VNR_PCI_VENDOR_ID);
	ck_assert_uint_eq(config_read(FUNCTION, 0x34) & 0xFF, MSI);
	ck_assert_uint_eq(config_read(FUNCTION, 0x3C), 0); /* no INTx pin */
	for (u32 bar = 0x10; bar < 0x28; bar += 4)
		ck_assert_uint_eq(config_read(FUNCTION, bar), 0);
}
END_TEST

START_TEST(nothing_else_answers)
{
	static const u32 absent[] = {
		ENABLE | 2 << 11,	   /* device 2 */
		ENABLE | 31 << 11,	   /* device 31 */
		ENABLE | 1 << 11 | 1 << 8, /* function 1 of the Veneer one */
		ENABLE | 1 << 16,	   /* bus 1, device 0 */
		ENABLE | 255 << 16 | 1 << 11,
		1 << 11, /* the function, but not enabled */
	};

	for (unsigned i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		ck_assert_uint_eq(config_read(absent[i], 0), 0xFFFFFFFFu);
		config_write(absent[i], 0x04, 0x7);
	}
	ck_assert_uint_eq(config_read(FUNCTION, 0x04), 0x00100000u);
}
END_TEST

/* Data port 0xCFC + k holds byte k of the dword, as on a PC. */
START_TEST(data_ports_are_a_window_on_the_dword)
{
	out(ADDRESS, 4, FUNCTION);
	ck_assert_uint_eq(in(DATA, 2) & 0xFFFF, VNR_PCI_VENDOR_ID);
	ck_assert_uint_eq(in(DATA + 2, 2) & 0xFFFF, VNR_PCI_DEVICE_ID_GUEST);
	ck_assert_uint_eq(in(DATA + 1, 1) & 0xFF, VNR_PCI_VENDOR_ID >> 8);
	/* Bytes past 0xCFF are not configuration data. */
	ck_assert_uint_eq(in(DATA + 2, 4),
			  0xFFFF0000u | VNR_PCI_DEVICE_ID_GUEST);
	ck_assert_uint_eq(in(DATA + 3, 2) & 0xFFFF, 0xFF00);
	/* The last dword: never past the 256 bytes. */
	ck_assert_uint_eq(config_read(FUNCTION, 0xFC), 0);
	out(DATA + 3, 4, 0xFFFFFFFFu);
	ck_assert_uint_eq(config_read(FUNCTION, 0xFC), 0);
}
END_TEST

START_TEST(only_the_documented_bits_are_writable)
{
	config_write(FUNCTION, 0x00, 0x12345678u);
	ck_assert_uint_eq(config_read(FUNCTION, 0x00),
			  VNR_PCI_DEVICE_ID_GUEST << 16 | VNR_PCI_VENDOR_ID);
	config_write(FUNCTION, 0x04, 0xFFFFFFFFu);
	ck_assert_uint_eq(config_read(FUNCTION, 0x04), 0x00100407u);
	config_write(FUNCTION, 0x10, 0xFFFFFFFFu); /* a BAR that is none */
	ck_assert_uint_eq(config_read(FUNCTION, 0x10), 0);
	config_write(FUNCTION, MSI, 0xFFFFFFFFu);
	ck_assert_uint_eq(config_read(FUNCTION, MSI), 0x00810005u);
	config_write(FUNCTION, MSI + 4, 0xFFFFFFFFu);
	ck_assert_uint_eq(config_read(FUNCTION, MSI + 4), 0xFFFFFFFCu);
	config_write(FUNCTION, MSI + 12, 0xFFFFFFFFu);
	ck_assert_uint_eq(config_read(FUNCTION, MSI + 12), 0x0000FFFFu);
	config_write(BRIDGE, 0x00, 0);
	ck_assert_uint_eq(config_read(BRIDGE, 0x00) & 0xFFFF,
			  VNR_PCI_VENDOR_ID);
}
END_TEST

/* Linux's MSI set-up: address, data, then the enable bit. */
static void msi_on(u8 vector)
{
	config_write(FUNCTION, MSI + 4, 0xFEE00000u);
	config_write(FUNCTION, MSI + 8, 0);
	config_write(FUNCTION, MSI + 12, vector);
	config_write(FUNCTION, MSI, 0x00010005u);
}

static bool pending(u8 vector)
{
	return pc_fx_pending(vp, vector);
}

static bool any_pending(void)
{
	for (unsigned i = 0; i < 4; i++)
		if (vp->intc.pending[i])
			return true;
	return false;
}

/* A SynIC with its event page, SINT 3 unmasked with its own vector. */
static void synic_on(void)
{
	ck_assert(synic_wrmsr(vp, VNR_MSR_SIEFP, SIEFP_GPA | 1));
	ck_assert(synic_wrmsr(vp, VNR_MSR_SINT0 + SINT,
			      0x77 | VNR_SINT_AUTO_EOI));
	ck_assert(synic_wrmsr(vp, VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE));
}

START_TEST(a_sint_raises_the_msi_vector_not_its_own)
{
	msi_on(MSI_VECTOR);
	synic_on();
	ck_assert_int_eq(synic_signal(vp, SINT, 5), VNR_STATUS_SUCCESS);
	ck_assert(pending(MSI_VECTOR));
	ck_assert(!pending(0x77));
	/* In service until the local APIC's EOI: not auto-EOI. */
	ck_assert_int_eq(vintc_deliverable(&vp->intc), MSI_VECTOR);
	vintc_accept(&vp->intc, MSI_VECTOR);
	ck_assert(vp->intc.in_service[MSI_VECTOR / 64] &
		  (1ull << (MSI_VECTOR % 64)));
	ck_assert(guest_wrmsr(vp, MSR_APIC_BASE, VLAPIC_BASE | 0xD00));
	ck_assert(guest_wrmsr(vp, MSR_X2APIC_FIRST + 0x0B, 0)); /* EOI */
	ck_assert(!(vp->intc.in_service[MSI_VECTOR / 64] &
		    (1ull << (MSI_VECTOR % 64))));
}
END_TEST

START_TEST(no_msi_no_interrupt_but_the_flag_waits)
{
	u64 *flags = fx_gpa(p, SIEFP_GPA);

	synic_on();
	ck_assert_int_eq(synic_signal(vp, SINT, 5), VNR_STATUS_SUCCESS);
	ck_assert(!any_pending());
	ck_assert_uint_eq(flags[SINT * VNR_EVENT_FLAGS_PER_SINT / 64], 1u << 5);
	/* A vector below 16 is an exception's: never sent. */
	msi_on(8);
	memset(flags, 0, VNR_PAGE_SIZE);
	ck_assert_int_eq(synic_signal(vp, SINT, 5), VNR_STATUS_SUCCESS);
	ck_assert(!any_pending());
	/* Disabled again after it was on. */
	msi_on(MSI_VECTOR);
	config_write(FUNCTION, MSI, 0x00000005u);
	memset(flags, 0, VNR_PAGE_SIZE);
	ck_assert_int_eq(synic_signal(vp, SINT, 5), VNR_STATUS_SUCCESS);
	ck_assert(!any_pending());
}
END_TEST

START_TEST(a_masked_sint_raises_nothing)
{
	msi_on(MSI_VECTOR);
	synic_on();
	ck_assert(synic_wrmsr(vp, VNR_MSR_SINT0 + SINT, VNR_SINT_MASKED));
	ck_assert_int_eq(synic_signal(vp, SINT, 5), VNR_STATUS_SUCCESS);
	ck_assert(!any_pending());
}
END_TEST

/* Each partition has its own bus: one's address is not another's. */
START_TEST(partitions_have_their_own_bus)
{
	struct hv_partition *other = fx_partition("other", 0);
	struct hv_vp *mine = vp;

	ck_assert_int_eq(arch_partition_enable_pc_platform(other), 0);
	out(ADDRESS, 4, FUNCTION | MSI);
	vp = &other->vps[0];
	ck_assert_uint_eq(in(ADDRESS, 4), 0);
	msi_on(MSI_VECTOR);
	vp = mine;
	ck_assert_uint_eq(in(ADDRESS, 4), FUNCTION | MSI);
	ck_assert_uint_eq(config_read(FUNCTION, MSI + 12), 0);
	arch_partition_disable_pc_platform(other);
}
END_TEST

static Suite *pc_pci_suite(void)
{
	Suite *s = suite_create("pc_pci");
	TCase *bus = tcase_create("bus");
	TCase *msi = tcase_create("msi");

	tcase_add_checked_fixture(bus, setup, teardown);
	tcase_add_test(bus, type1_probe_finds_the_address_register);
	tcase_add_test(bus, address_keeps_no_reserved_bits);
	tcase_add_test(bus, bus_0_has_the_host_bridge_and_the_function);
	tcase_add_test(bus, nothing_else_answers);
	tcase_add_test(bus, data_ports_are_a_window_on_the_dword);
	tcase_add_test(bus, only_the_documented_bits_are_writable);
	tcase_add_test(bus, partitions_have_their_own_bus);
	suite_add_tcase(s, bus);
	tcase_add_checked_fixture(msi, setup, teardown);
	tcase_add_test(msi, a_sint_raises_the_msi_vector_not_its_own);
	tcase_add_test(msi, no_msi_no_interrupt_but_the_flag_waits);
	tcase_add_test(msi, a_masked_sint_raises_nothing);
	suite_add_tcase(s, msi);
	return s;
}

int main(void)
{
	return fx_run_suite(pc_pci_suite());
}
