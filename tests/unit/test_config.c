/* SPDX-License-Identifier: MIT */
/* Unit tests of the veneer.cfg parser (hv/core/config.c). */
#include <check.h>

#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/config.h>

static struct hv_config cfg;
static char err[256];

static bool parse_len(const char *text, size_t len)
{
	memset(&cfg, 0xa5, sizeof(cfg));
	memset(err, 0, sizeof(err));
	return hv_config_parse(text, len, "test.cfg", &cfg, err, sizeof(err));
}

static bool parse(const char *text)
{
	return parse_len(text, strlen(text));
}

static void expect_error_len(int at, const char *text, size_t len,
			     unsigned line, const char *msg)
{
	char prefix[64];

	ck_assert_msg(!parse_len(text, len), "line %d: accepted:\n%s", at,
		      text);
	snprintf(prefix, sizeof(prefix), "test.cfg:%u: ", line);
	ck_assert_msg(!strncmp(err, prefix, strlen(prefix)),
		      "line %d: error '%s' does not start with '%s'", at, err,
		      prefix);
	ck_assert_msg(strstr(err, msg) != NULL,
		      "line %d: error '%s' does not contain '%s'", at, err,
		      msg);
}

#define EXPECT_ERROR(text, line, msg) \
	expect_error_len(__LINE__, text, strlen(text), line, msg)
#define EXPECT_OK(text) \
	ck_assert_msg(parse(text), "rejected: %s\n%s", err, text)

/* A partition section that is complete by itself. */
#define PART(name) "[partition " name "]\nimage = \\a.elf\nmemory = 2M\n"

/* Parses a one-partition file with one extra key in the partition. */
static bool parse_part_key(const char *line)
{
	static char text[512];

	snprintf(text, sizeof(text), PART("p") "%s\n", line);
	return parse(text);
}

#define EXPECT_PART_KEY_ERROR(line, msg)                                  \
	do {                                                              \
		static char text_[512];                                   \
		snprintf(text_, sizeof(text_), PART("p") "%s\n", line);   \
		expect_error_len(__LINE__, text_, strlen(text_), 4, msg); \
	} while (0)

#define EXPECT_HV_KEY_ERROR(line, msg)                                         \
	do {                                                                   \
		static char text_[512];                                        \
		snprintf(text_, sizeof(text_), "[hypervisor]\n%s\n" PART("p"), \
			 line);                                                \
		expect_error_len(__LINE__, text_, strlen(text_), 2, msg);      \
	} while (0)

/* --- accepted files --------------------------------------------------- */

START_TEST(minimal_uses_defaults)
{
	const struct hv_partition_config *p = &cfg.partitions[0];

	EXPECT_OK("[partition hello]\nimage = \\EFI\\veneer\\hello.elf\n"
		  "memory = 16M\n");
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(cfg.timeslice_ms, 10);
	ck_assert(!cfg.has_debug_exit);
	ck_assert(!cfg.log_exits);
	ck_assert_uint_eq(cfg.partition_count, 1);
	ck_assert_str_eq(p->name, "hello");
	ck_assert_str_eq(p->image, "\\EFI\\veneer\\hello.elf");
	ck_assert_uint_eq(p->memory_bytes, 16ull << 20);
	ck_assert_uint_eq(p->vp_count, 1);
	ck_assert_uint_eq(p->privileges, 0);
	ck_assert_str_eq(p->cmdline, "");
}
END_TEST

START_TEST(full_example)
{
	static const char text[] =
		"# comment (also after values)\n"
		"[hypervisor]\n"
		"timeslice_ms = 20          # 1..1000, default 10\n"
		"debug_exit_port = 0xf4     # QEMU isa-debug-exit\n"
		"log_exits = yes\n"
		"\n"
		"[partition hello]          # a name\n"
		"image = \\EFI\\veneer\\hello.elf   # path on the ESP\n"
		"memory = 16M\n"
		"vps = 1\n"
		"privileges = debug_console # comment\n"
		"cmdline = console=hv loglevel=7 a,b\n";
	const struct hv_partition_config *p = &cfg.partitions[0];

	EXPECT_OK(text);
	ck_assert_uint_eq(cfg.timeslice_ms, 20);
	ck_assert(cfg.has_debug_exit);
	ck_assert_uint_eq(cfg.debug_exit_port, 0xf4);
	ck_assert(cfg.log_exits);
	ck_assert_uint_eq(cfg.partition_count, 1);
	ck_assert_str_eq(p->name, "hello");
	ck_assert_str_eq(p->image, "\\EFI\\veneer\\hello.elf");
	ck_assert_uint_eq(p->memory_bytes, 16ull << 20);
	ck_assert_uint_eq(p->privileges, VNR_PRIV_MASK(DEBUG_CONSOLE));
	ck_assert_str_eq(p->cmdline, "console=hv loglevel=7 a,b");
}
END_TEST

START_TEST(whitespace_and_line_endings)
{
	/* BOM, CRLF, tabs, blank and comment-only lines, no final newline. */
	static const char text[] = "\xef\xbb\xbf# hello\r\n"
				   "\r\n"
				   "  \t \n"
				   "\t[ hypervisor ]\t\r\n"
				   "timeslice_ms=5\r\n"
				   "   log_exits\t=\tno   \r\n"
				   "[partition\ta-b_C9 ]#c\n"
				   "image=\\x y.elf\n"
				   "\tmemory =0x200000";

	EXPECT_OK(text);
	ck_assert_uint_eq(cfg.timeslice_ms, 5);
	ck_assert(!cfg.log_exits);
	ck_assert_str_eq(cfg.partitions[0].name, "a-b_C9");
	ck_assert_str_eq(cfg.partitions[0].image, "\\x y.elf");
	ck_assert_uint_eq(cfg.partitions[0].memory_bytes, 0x200000);
}
END_TEST

START_TEST(text_need_not_be_terminated)
{
	static const char text[] = PART("p") "vps = 1"
					     "GARBAGE";

	ck_assert(parse_len(text, strlen(text) - strlen("GARBAGE")));
	ck_assert_uint_eq(cfg.partitions[0].vp_count, 1);
}
END_TEST

START_TEST(memory_sizes)
{
	static const struct {
		const char *text;
		u64 bytes;
	} cases[] = {
		{"2M", MiB(2)},		{"2m", MiB(2)},
		{"2048K", MiB(2)},	{"2048k", MiB(2)},
		{"1G", GiB(1)},		{"4G", GiB(4)},
		{"4g", GiB(4)},		{"4096M", GiB(4)},
		{"4194304", MiB(4)},	{"0x200000", MiB(2)},
		{"0X400000", MiB(4)},	{"0x2M", MiB(2)},
		{"4294967296", GiB(4)}, {"0x100000000", GiB(4)},
		{"0004M", MiB(4)},
	};
	char line[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(line, sizeof(line),
			 "[partition p]\nimage=\\a\nmemory = %s\n",
			 cases[i].text);
		ck_assert_msg(parse(line), "%s: %s", cases[i].text, err);
		ck_assert_uint_eq(cfg.partitions[0].memory_bytes,
				  cases[i].bytes);
	}
}
END_TEST

START_TEST(several_partitions_in_order)
{
	static char text[4096];
	size_t n = 0;
	u32 i;

	n += snprintf(text + n, sizeof(text) - n, "[hypervisor]\n");
	for (i = 0; i < HV_MAX_PARTITIONS; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "[partition p%u]\nmemory = %uM\n"
			      "image = \\p%u.elf\ncmdline = n=%u\n",
			      i, 2 * (i + 1), i, i);
	EXPECT_OK(text);
	ck_assert_uint_eq(cfg.partition_count, HV_MAX_PARTITIONS);
	for (i = 0; i < HV_MAX_PARTITIONS; i++) {
		const struct hv_partition_config *p = &cfg.partitions[i];
		char want[32];

		snprintf(want, sizeof(want), "p%u", i);
		ck_assert_str_eq(p->name, want);
		snprintf(want, sizeof(want), "\\p%u.elf", i);
		ck_assert_str_eq(p->image, want);
		snprintf(want, sizeof(want), "n=%u", i);
		ck_assert_str_eq(p->cmdline, want);
		ck_assert_uint_eq(p->memory_bytes, MiB(2 * (i + 1)));
		ck_assert_uint_eq(p->vp_count, 1);
	}
}
END_TEST

START_TEST(hypervisor_section_after_partitions)
{
	EXPECT_OK(PART("a") "[hypervisor]\ntimeslice_ms = 1000\n" PART("b"));
	ck_assert_uint_eq(cfg.timeslice_ms, 1000);
	ck_assert_uint_eq(cfg.partition_count, 2);
}
END_TEST

START_TEST(privilege_lists)
{
	ck_assert(parse_part_key("privileges = none"));
	ck_assert_uint_eq(cfg.partitions[0].privileges, 0);
	ck_assert(parse_part_key("privileges = debug_console,own_devices"));
	ck_assert_uint_eq(cfg.partitions[0].privileges,
			  VNR_PRIV_MASK(DEBUG_CONSOLE) |
				  VNR_PRIV_MASK(OWN_DEVICES));
	ck_assert(parse_part_key("privileges =  manage_memory ,\t"
				 "create_partitions , debug_console,"
				 "own_devices"));
	ck_assert_uint_eq(cfg.partitions[0].privileges,
			  VNR_PRIV_MASK(DEBUG_CONSOLE) |
				  VNR_PRIV_MASK(CREATE_PARTITIONS) |
				  VNR_PRIV_MASK(MANAGE_MEMORY) |
				  VNR_PRIV_MASK(OWN_DEVICES));
}
END_TEST

START_TEST(limits_accepted)
{
	char name[VNR_NAME_MAX], image[HV_CONFIG_IMAGE_MAX], text[1024];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memset(image, 'i', sizeof(image) - 1);
	image[sizeof(image) - 1] = '\0';
	snprintf(text, sizeof(text),
		 "[hypervisor]\ntimeslice_ms = 1\ndebug_exit_port = 0xffff\n"
		 "[partition %s]\nimage = %s\nmemory = 4G\nvps = 0x1\n"
		 "cmdline =\n",
		 name, image);
	EXPECT_OK(text);
	ck_assert_uint_eq(cfg.timeslice_ms, 1);
	ck_assert_uint_eq(cfg.debug_exit_port, 0xffff);
	ck_assert_str_eq(cfg.partitions[0].name, name);
	ck_assert_str_eq(cfg.partitions[0].image, image);
	ck_assert_str_eq(cfg.partitions[0].cmdline, "");
	ck_assert(parse("[hypervisor]\ndebug_exit_port = 0\n" PART("p")));
	ck_assert(cfg.has_debug_exit);
	ck_assert_uint_eq(cfg.debug_exit_port, 0);
}
END_TEST

START_TEST(line_of_255_accepted)
{
	char text[600];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), PART("p"));
	memset(text + n, '#', 255);
	memcpy(text + n + 255, "\r\n", 3);
	EXPECT_OK(text);
}
END_TEST

START_TEST(null_err_buffer)
{
	ck_assert(!hv_config_parse("x", 1, "f", &cfg, NULL, 0));
	ck_assert(!hv_config_parse("x", 1, NULL, &cfg, NULL, 100));
	ck_assert(hv_config_parse(PART("p"), strlen(PART("p")), NULL, &cfg,
				  NULL, 0));
}
END_TEST

START_TEST(small_err_buffer_truncates)
{
	char small[12];

	memset(small, 'Z', sizeof(small));
	ck_assert(!hv_config_parse("x", 1, "test.cfg", &cfg, small, 8));
	ck_assert_str_eq(small, "test.cf");
	ck_assert_int_eq(small[8], 'Z');
}
END_TEST

/* --- structure errors ------------------------------------------------- */

START_TEST(key_outside_section)
{
	EXPECT_ERROR("# c\ntimeslice_ms = 10\n" PART("p"), 2,
		     "key 'timeslice_ms' outside of a section");
}
END_TEST

START_TEST(unknown_section)
{
	EXPECT_ERROR("\n[partitions a]\n", 2, "unknown section [partitions a]");
	EXPECT_ERROR("[Hypervisor]\n", 1, "unknown section [Hypervisor]");
	EXPECT_ERROR("[]\n", 1, "unknown section []");
	EXPECT_ERROR("[hypervisor x]\n", 1, "[hypervisor] takes no name");
}
END_TEST

START_TEST(bad_section_header)
{
	EXPECT_ERROR("[hypervisor\n", 1, "missing ']' in section header");
	EXPECT_ERROR("[hypervisor] x\n", 1, "unexpected text after ']'");
	EXPECT_ERROR("[hypervisor]]\n", 1, "unexpected text after ']'");
	EXPECT_ERROR("[partition]\n", 1,
		     "partition section needs a name: [partition NAME]");
	EXPECT_ERROR("[partition   ]\n", 1, "partition section needs a name");
}
END_TEST

START_TEST(bad_partition_names)
{
	char text[128];

	EXPECT_ERROR("[partition a b]\n", 1, "invalid partition name 'a b'");
	EXPECT_ERROR("[partition a.b]\n", 1, "invalid partition name 'a.b'");
	EXPECT_ERROR("[partition \xc3\xa9]\n", 1, "invalid partition name");
	snprintf(text, sizeof(text), "[partition %032d]\n", 0);
	EXPECT_ERROR(text, 1, "(1..31 characters of A-Z a-z 0-9 _ -)");
}
END_TEST

START_TEST(duplicate_partition_name)
{
	EXPECT_ERROR(PART("a") PART("b") PART("a"), 7,
		     "duplicate partition name 'a'");
}
END_TEST

START_TEST(duplicate_hypervisor_section)
{
	EXPECT_ERROR("[hypervisor]\n" PART("a") "[hypervisor]\n", 5,
		     "duplicate section [hypervisor]");
}
END_TEST

START_TEST(too_many_partitions)
{
	static char text[4096];
	size_t n = 0;
	u32 i;

	for (i = 0; i <= HV_MAX_PARTITIONS; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "[partition p%u]\nimage = \\a\nmemory = 2M\n", i);
	EXPECT_ERROR(text, 3 * HV_MAX_PARTITIONS + 1,
		     "too many partitions (max 8)");
}
END_TEST

START_TEST(unknown_keys)
{
	EXPECT_HV_KEY_ERROR("timeslice = 10",
			    "unknown key 'timeslice' in [hypervisor]");
	EXPECT_HV_KEY_ERROR("image = \\a",
			    "unknown key 'image' in [hypervisor]");
	EXPECT_PART_KEY_ERROR("Image = \\b",
			      "unknown key 'Image' in [partition p]");
	EXPECT_PART_KEY_ERROR("log_exits = no",
			      "unknown key 'log_exits' in [partition p]");
}
END_TEST

START_TEST(duplicate_keys)
{
	EXPECT_PART_KEY_ERROR("image = \\b", "duplicate key 'image'");
	EXPECT_ERROR("[hypervisor]\nlog_exits = no\nlog_exits = no\n", 3,
		     "duplicate key 'log_exits'");
	EXPECT_ERROR("[partition p]\nvps=1\nvps=1\n", 3, "duplicate key 'vps'");
	/* A duplicate is reported before its value is looked at. */
	ck_assert(!parse("[partition p]\nvps=1\nvps=x\n"));
	ck_assert_ptr_nonnull(strstr(err, "duplicate key 'vps'"));
}
END_TEST

START_TEST(missing_required_keys)
{
	EXPECT_ERROR("# x\n[partition p]\nmemory = 2M\n", 2,
		     "partition 'p': needs 'image' or 'kernel'");
	EXPECT_ERROR("[partition p]\nimage = \\a\n[hypervisor]\n", 1,
		     "partition 'p': missing required key 'memory'");
	EXPECT_ERROR(PART("a") "[partition b]\nimage=\\b\n" PART("c"), 4,
		     "partition 'b': missing required key 'memory'");
}
END_TEST

START_TEST(kernel_partition)
{
	const struct hv_partition_config *p;

	ck_assert(parse("[partition lx]\nkernel = \\k\ninitrd = \\i\n"
			"memory = 256M\ncmdline = console=ttyS0 quiet\n"));
	p = &cfg.partitions[0];
	ck_assert_str_eq(p->kernel, "\\k");
	ck_assert_str_eq(p->initrd, "\\i");
	ck_assert_str_eq(p->image, "");
	ck_assert_str_eq(p->cmdline, "console=ttyS0 quiet");
	ck_assert(parse("[partition lx]\nkernel = \\k\nmemory = 64M\n"));
	ck_assert_str_eq(cfg.partitions[0].initrd, "");
}
END_TEST

START_TEST(kernel_partition_errors)
{
	EXPECT_ERROR("[partition p]\nimage = \\a\nkernel = \\k\n"
		     "memory = 2M\n",
		     1,
		     "partition 'p': 'image' and 'kernel' exclude each other");
	EXPECT_ERROR("[partition p]\nimage = \\a\ninitrd = \\i\n"
		     "memory = 2M\n",
		     1, "partition 'p': 'initrd' needs 'kernel'");
	EXPECT_ERROR("[partition p]\nkernel = \\k\nroot = yes\n"
		     "memory = 2M\n",
		     1, "partition 'p': a kernel cannot be the root here");
	EXPECT_ERROR("[partition p]\nkernel = \\k\nmemory = 4080M\n", 1,
		     "partition 'p': a kernel's memory ends below its local "
		     "APIC at 0xFEE00000 (max 4078M)");
	ck_assert(parse("[partition p]\nkernel = \\k\nmemory = 4078M\n"));
	EXPECT_PART_KEY_ERROR("kernel =", "kernel: empty value");
	EXPECT_ERROR(PART("p") "initrd = \\i\ninitrd = \\j\n", 5,
		     "duplicate key 'initrd'");
}
END_TEST

START_TEST(no_partition)
{
	EXPECT_ERROR("", 0, "no partition defined");
	EXPECT_ERROR("# only a comment\n[hypervisor]\nlog_exits = yes\n", 3,
		     "no partition defined");
}
END_TEST

START_TEST(not_key_value)
{
	EXPECT_ERROR("[partition p]\nimage\n", 2,
		     "expected 'key = value' or a [section] header");
	EXPECT_ERROR("[partition p]\n = 3\n", 2, "missing key before '='");
	EXPECT_PART_KEY_ERROR("vps =", "vps: empty value");
	EXPECT_PART_KEY_ERROR("privileges = # none", "privileges: empty value");
}
END_TEST

START_TEST(line_too_long)
{
	char text[600];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), PART("p"));
	memset(text + n, '#', 256);
	strcpy(text + n + 256, "\n");
	EXPECT_ERROR(text, 4, "line too long (max 255 characters)");
}
END_TEST

START_TEST(nul_and_control_bytes)
{
	static const char nul[] = "[partition p]\nimage = \\a\0b\nmemory=2M\n";
	static const char nul_comment[] = PART("p") "# a\0b\n";

	expect_error_len(__LINE__, nul, sizeof(nul) - 1, 2, "NUL byte in line");
	expect_error_len(__LINE__, nul_comment, sizeof(nul_comment) - 1, 4,
			 "NUL byte in line");
	EXPECT_ERROR(PART("p") "cmdline = a\x1b[0m\n", 4,
		     "control character 0x1b in line");
	EXPECT_ERROR("[partition p]\rimage = \\a\n", 1,
		     "control character 0x0d in line");
	EXPECT_ERROR(PART("p") "\x7f\n", 4, "control character 0x7f in line");
}
END_TEST

/* --- value errors ----------------------------------------------------- */

START_TEST(timeslice_values)
{
	EXPECT_HV_KEY_ERROR("timeslice_ms = 0",
			    "timeslice_ms: '0' is out of range 1..1000");
	EXPECT_HV_KEY_ERROR("timeslice_ms = 1001",
			    "timeslice_ms: '1001' is out of range 1..1000");
	EXPECT_HV_KEY_ERROR("timeslice_ms = 0x3e9", "out of range 1..1000");
	EXPECT_HV_KEY_ERROR("timeslice_ms = ten",
			    "timeslice_ms: invalid number 'ten'");
	EXPECT_HV_KEY_ERROR("timeslice_ms = 10ms",
			    "timeslice_ms: invalid number '10ms'");
	EXPECT_HV_KEY_ERROR("timeslice_ms = -1",
			    "timeslice_ms: invalid number '-1'");
	EXPECT_HV_KEY_ERROR("timeslice_ms = 0x", "invalid number '0x'");
	EXPECT_HV_KEY_ERROR("timeslice_ms = 1 0", "invalid number '1 0'");
	EXPECT_HV_KEY_ERROR("timeslice_ms = 18446744073709551616",
			    "timeslice_ms: number '18446744073709551616' is "
			    "too large");
	EXPECT_HV_KEY_ERROR("timeslice_ms = 0x10000000000000000",
			    "is too large");
}
END_TEST

START_TEST(debug_exit_port_values)
{
	EXPECT_HV_KEY_ERROR("debug_exit_port = 0x10000",
			    "debug_exit_port: '0x10000' is out of range "
			    "0..0xffff");
	EXPECT_HV_KEY_ERROR("debug_exit_port = f4",
			    "debug_exit_port: invalid number 'f4'");
}
END_TEST

START_TEST(log_exits_values)
{
	EXPECT_HV_KEY_ERROR("log_exits = true",
			    "log_exits: expected yes or no, not 'true'");
	EXPECT_HV_KEY_ERROR("log_exits = YES", "expected yes or no");
}
END_TEST

START_TEST(image_values)
{
	char text[512], path[HV_CONFIG_IMAGE_MAX + 1];

	memset(path, 'i', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	snprintf(text, sizeof(text), "[partition p]\nimage = %s\n", path);
	EXPECT_ERROR(text, 2, "image: path too long (max 127 characters)");
	EXPECT_ERROR("[partition p]\nimage =   \n", 2, "image: empty value");
}
END_TEST

START_TEST(memory_values)
{
	static const struct {
		const char *value, *msg;
	} cases[] = {
		{"3M", "memory: '3M' is not a multiple of 2M"},
		{"2049K", "memory: '2049K' is not a multiple of 2M"},
		{"0x200001", "not a multiple of 2M"},
		{"1M", "memory: '1M' is out of range 2M..4G"},
		{"0", "memory: '0' is out of range 2M..4G"},
		{"4098M", "memory: '4098M' is out of range 2M..4G"},
		{"6G", "out of range 2M..4G"},
		{"16X", "memory: invalid size '16X'"},
		{"16MB", "memory: invalid size '16MB'"},
		{"16 M", "memory: invalid size '16 M'"},
		{"M", "memory: invalid size 'M'"},
		{"-2M", "memory: invalid size '-2M'"},
		{"0xM", "memory: invalid size '0xM'"},
		{"99999999999999999999", "memory: size "
					 "'99999999999999999999' is too "
					 "large"},
		{"17179869184G", "memory: size '17179869184G' is too large"},
		{"0xffffffffffffM", "memory: size '0xffffffffffffM' is too "
				    "large"},
		{"0x40000000000000K", "is too large"},
	};
	char line[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(line, sizeof(line), "[partition p]\nmemory = %s\n",
			 cases[i].value);
		expect_error_len(__LINE__, line, strlen(line), 2, cases[i].msg);
	}
}
END_TEST

START_TEST(vps_values)
{
	EXPECT_PART_KEY_ERROR("vps = 0", "vps: '0' is out of range 1..1");
	EXPECT_PART_KEY_ERROR("vps = 2", "vps: '2' is out of range 1..1");
	EXPECT_PART_KEY_ERROR("vps = one", "vps: invalid number 'one'");
}
END_TEST

START_TEST(privilege_values)
{
	EXPECT_PART_KEY_ERROR("privileges = debug",
			      "privileges: unknown privilege 'debug'");
	EXPECT_PART_KEY_ERROR("privileges = DEBUG_CONSOLE",
			      "privileges: unknown privilege 'DEBUG_CONSOLE'");
	EXPECT_PART_KEY_ERROR("privileges = debug console",
			      "unknown privilege 'debug console'");
	EXPECT_PART_KEY_ERROR("privileges = debug_console,",
			      "privileges: empty name in list");
	EXPECT_PART_KEY_ERROR("privileges = ,own_devices",
			      "privileges: empty name in list");
	EXPECT_PART_KEY_ERROR("privileges = own_devices,,debug_console",
			      "privileges: empty name in list");
	EXPECT_PART_KEY_ERROR("privileges = none, debug_console",
			      "privileges: 'none' cannot be combined with "
			      "other privileges");
	EXPECT_PART_KEY_ERROR("privileges = none,none", "cannot be combined");
	EXPECT_PART_KEY_ERROR("privileges = own_devices, own_devices",
			      "privileges: 'own_devices' listed twice");
}
END_TEST

START_TEST(error_reports_right_line)
{
	EXPECT_ERROR(
		"# 1\n\n[hypervisor] # 3\n\n  # 5\nlog_exits = 1\n" PART("p"),
		6, "log_exits: expected yes or no, not '1'");
	EXPECT_ERROR("a\r\nb\r\n", 1, "expected 'key = value'");
}
END_TEST

/* --- robustness ------------------------------------------------------- */

static u64 rng_state = 0x2545f4914f6cdd1dull;

static u64 rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static const char *const fuzz_seeds[] = {
	"# c\n[hypervisor]\ntimeslice_ms = 0x10 # c\ndebug_exit_port = 0xf4\n"
	"log_exits = yes\n[partition hello]\nimage = \\EFI\\a.elf\n"
	"memory = 16M\nvps = 1\nprivileges = debug_console, own_devices\n"
	"cmdline = a=b c\n",
	PART("a") PART("b") PART("c") PART("d") PART("e") PART("f") PART("g")
		PART("h"),
	"[partition x]\r\nmemory=4G\r\nimage=\\x\r\nprivileges=none\r\n",
};

static void mutate(char *buf, size_t *len, size_t cap)
{
	static const char interesting[] = "[]=#,\n\r\t 0xX19MGKk-_\0\x7f\xff";
	size_t pos = *len ? rng() % *len : 0;
	char c = (rng() & 1) ? interesting[rng() % (sizeof(interesting) - 1)]
			     : (char)rng();

	switch (rng() % 4) {
	case 0:
		if (*len)
			buf[pos] = c;
		break;
	case 1:
		if (*len < cap) {
			memmove(buf + pos + 1, buf + pos, *len - pos);
			buf[pos] = c;
			(*len)++;
		}
		break;
	case 2:
		if (*len) {
			memmove(buf + pos, buf + pos + 1, *len - pos - 1);
			(*len)--;
		}
		break;
	default:
		*len = pos;
	}
}

static void check_invariants(void)
{
	u32 i;

	ck_assert(cfg.partition_count >= 1);
	ck_assert(cfg.partition_count <= HV_MAX_PARTITIONS);
	ck_assert(cfg.timeslice_ms >= 1 && cfg.timeslice_ms <= 1000);
	for (i = 0; i < cfg.partition_count; i++) {
		const struct hv_partition_config *p = &cfg.partitions[i];

		ck_assert(strnlen(p->name, sizeof(p->name)) < sizeof(p->name));
		ck_assert(p->name[0] != '\0');
		ck_assert(strnlen(p->image, sizeof(p->image)) <
			  sizeof(p->image));
		ck_assert(strnlen(p->cmdline, sizeof(p->cmdline)) <
			  sizeof(p->cmdline));
		ck_assert(p->memory_bytes >= MiB(2) &&
			  p->memory_bytes <= GiB(4));
		ck_assert(p->memory_bytes % MiB(2) == 0);
		ck_assert(p->vp_count >= 1 && p->vp_count <= HV_MAX_VPS);
	}
}

START_TEST(fuzz_does_not_crash)
{
	static char work[2048];
	u32 iter, accepted = 0;

	for (iter = 0; iter < 100000; iter++) {
		size_t len, err_size = rng() % (sizeof(err) + 1), i, n;
		char *exact;

		if (iter % 10 == 0) {
			len = rng() % 600;
			for (i = 0; i < len; i++)
				work[i] = (char)rng();
		} else {
			const char *seed =
				fuzz_seeds[rng() % ARRAY_SIZE(fuzz_seeds)];

			len = strlen(seed);
			memcpy(work, seed, len);
			for (n = 1 + rng() % 8; n; n--)
				mutate(work, &len, sizeof(work));
		}
		/* An exact-size copy lets the sanitizer see any overread. */
		exact = malloc(len ? len : 1);
		ck_assert_ptr_nonnull(exact);
		memcpy(exact, work, len);
		if (hv_config_parse(exact, len, "f.cfg", &cfg, err, err_size)) {
			check_invariants();
			accepted++;
		} else if (err_size) {
			ck_assert(strnlen(err, err_size) < err_size);
		}
		free(exact);
	}
	/* The mutations are mild enough that some files stay valid. */
	ck_assert_uint_gt(accepted, 0);
}
END_TEST

#define ROOT_SECTION                                \
	"[root]\nkernel = \\EFI\\veneer\\vmlinuz\n" \
	"initrd = \\EFI\\veneer\\initrd.img\n"      \
	"cmdline = console=ttyS0 quiet\n"

START_TEST(root_section)
{
	EXPECT_OK(ROOT_SECTION);
	ck_assert(cfg.root.present);
	ck_assert_str_eq(cfg.root.kernel, "\\EFI\\veneer\\vmlinuz");
	ck_assert_str_eq(cfg.root.initrd, "\\EFI\\veneer\\initrd.img");
	ck_assert_str_eq(cfg.root.cmdline, "console=ttyS0 quiet");
	ck_assert_uint_eq(cfg.partition_count, 0);
	/* The root owns the machine's UARTs: none for the hypervisor. */
	ck_assert_uint_eq(cfg.serial_port, 0);
	EXPECT_OK("[root]\nkernel = \\k\ncmdline =\n");
	ck_assert_str_eq(cfg.root.initrd, "");
	ck_assert_str_eq(cfg.root.cmdline, "");
}
END_TEST

/* The example a package installs (/usr/share/veneer) is a valid file. */
START_TEST(shipped_example_parses)
{
	static char text[8192];
	FILE *f = fopen(VENEER_SOURCE_DIR
			"/tools/veneer-install-esp/veneer.cfg.example",
			"r");
	size_t len;

	ck_assert_ptr_nonnull(f);
	len = fread(text, 1, sizeof(text), f);
	fclose(f);
	ck_assert_uint_lt(len, sizeof(text));
	ck_assert_msg(parse_len(text, len), "%s", err);
	ck_assert(cfg.root.present);
	ck_assert_str_eq(cfg.root.kernel, "\\EFI\\veneer\\vmlinuz");
}
END_TEST

START_TEST(root_section_errors)
{
	EXPECT_ERROR("[root]\ninitrd = \\i\n", 1,
		     "missing required key 'kernel'");
	EXPECT_ERROR("[root]\nkernel = \\k\n[root]\nkernel = \\k\n", 3,
		     "duplicate section [root]");
	EXPECT_ERROR("[root x]\nkernel = \\k\n", 1, "[root] takes no name");
	EXPECT_ERROR("[root]\nkernel = \\k\nimage = \\a\n", 3,
		     "unknown key 'image' in [root]");
	EXPECT_ERROR("[root]\nkernel = \\k\nkernel = \\k\n", 3,
		     "duplicate key 'kernel'");
	EXPECT_ERROR("[root]\nkernel =\n", 2, "kernel: empty value");
	EXPECT_ERROR(ROOT_SECTION PART("p"), 7, "cannot be combined");
	EXPECT_ERROR(PART("p") ROOT_SECTION, 7, "cannot be combined");
}
END_TEST

START_TEST(root_section_lengths)
{
	char text[600], path[HV_CONFIG_IMAGE_MAX + 1];

	memset(path, 'k', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	snprintf(text, sizeof(text), "[root]\nkernel = %s\n", path);
	EXPECT_ERROR(text, 2, "kernel: path too long");
	path[sizeof(path) - 2] = '\0';
	snprintf(text, sizeof(text), "[root]\nkernel = %s\n", path);
	EXPECT_OK(text);
	snprintf(text, sizeof(text), "[root]\nkernel = \\k\ninitrd = %s%s\n",
		 path, "i");
	EXPECT_ERROR(text, 3, "initrd: path too long");
}
END_TEST

START_TEST(serial_values)
{
	EXPECT_OK(PART("p"));
	ck_assert_uint_eq(cfg.serial_port, HV_CONFIG_SERIAL_DEFAULT);
	EXPECT_OK("[hypervisor]\nserial = 0x2f8\n" PART("p"));
	ck_assert_uint_eq(cfg.serial_port, 0x2f8);
	EXPECT_OK("[hypervisor]\nserial = none\n" PART("p"));
	ck_assert_uint_eq(cfg.serial_port, 0);
	EXPECT_OK("[hypervisor]\nserial = 0x3f8\n" ROOT_SECTION);
	ck_assert_uint_eq(cfg.serial_port, 0x3f8);
	EXPECT_ERROR("[hypervisor]\nserial = 0\n" PART("p"), 2, "1..0xfff8");
	EXPECT_ERROR("[hypervisor]\nserial = 0xfff9\n" PART("p"), 2,
		     "1..0xfff8");
	EXPECT_ERROR("[hypervisor]\nserial = com1\n" PART("p"), 2, "serial");
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *ok = tcase_create("accepted");
	TCase *structure = tcase_create("structure");
	TCase *values = tcase_create("values");
	TCase *fuzz = tcase_create("fuzz");

	tcase_add_test(ok, minimal_uses_defaults);
	tcase_add_test(ok, full_example);
	tcase_add_test(ok, whitespace_and_line_endings);
	tcase_add_test(ok, text_need_not_be_terminated);
	tcase_add_test(ok, memory_sizes);
	tcase_add_test(ok, several_partitions_in_order);
	tcase_add_test(ok, hypervisor_section_after_partitions);
	tcase_add_test(ok, privilege_lists);
	tcase_add_test(ok, limits_accepted);
	tcase_add_test(ok, line_of_255_accepted);
	tcase_add_test(ok, null_err_buffer);
	tcase_add_test(ok, small_err_buffer_truncates);
	suite_add_tcase(s, ok);

	tcase_add_test(structure, key_outside_section);
	tcase_add_test(structure, unknown_section);
	tcase_add_test(structure, bad_section_header);
	tcase_add_test(structure, bad_partition_names);
	tcase_add_test(structure, duplicate_partition_name);
	tcase_add_test(structure, duplicate_hypervisor_section);
	tcase_add_test(structure, too_many_partitions);
	tcase_add_test(structure, unknown_keys);
	tcase_add_test(structure, duplicate_keys);
	tcase_add_test(structure, missing_required_keys);
	tcase_add_test(structure, kernel_partition);
	tcase_add_test(structure, kernel_partition_errors);
	tcase_add_test(structure, no_partition);
	tcase_add_test(structure, not_key_value);
	tcase_add_test(structure, line_too_long);
	tcase_add_test(structure, nul_and_control_bytes);
	tcase_add_test(structure, error_reports_right_line);
	suite_add_tcase(s, structure);

	tcase_add_test(values, timeslice_values);
	tcase_add_test(values, debug_exit_port_values);
	tcase_add_test(values, log_exits_values);
	tcase_add_test(values, image_values);
	tcase_add_test(values, memory_values);
	tcase_add_test(values, vps_values);
	tcase_add_test(values, privilege_values);
	tcase_add_test(values, serial_values);
	tcase_add_test(values, root_section);
	tcase_add_test(values, root_section_errors);
	tcase_add_test(values, root_section_lengths);
	tcase_add_test(values, shipped_example_parses);
	suite_add_tcase(s, values);

	/* Sanitizer builds are several times slower. */
	tcase_set_timeout(fuzz, 120);
	tcase_add_test(fuzz, fuzz_does_not_crash);
	suite_add_tcase(s, fuzz);
	return s;
}

int main(void)
{
	return fx_run_suite(config_suite());
}
