/* SPDX-License-Identifier: MIT */
/*
 * The ABI tables of the specification (docs/spec, every .md file) must
 * match the .def files of sdk/include/veneer, and its version (README.md)
 * that of <veneer/version.h>.
 *
 * Usage: spec_tables [SPEC_DIR]  (default: VENEER_SPEC_DIR)
 *
 * The first test case checks the real specification.  The others feed the
 * same comparison deliberately wrong tables, so that the checker itself is
 * shown to catch each kind of drift.
 */
#include "abi_tables.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veneer/abi.h>

#ifndef VENEER_SPEC_DIR
#define VENEER_SPEC_DIR "docs/spec"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define EM_DASH	      "\xe2\x80\x94"

/* The X-macro expansions of the seven .def files. */

static const struct abi_entry def_calls[] = {
#define VNR_CALL(n, c, f, p) \
	{.name = "VNR_CALL_" #n, .value = (c), .form = #f, .priv = #p},
#include <veneer/calls.def>
#undef VNR_CALL
};

static const struct abi_entry def_status[] = {
#define VNR_STATUS(n, c) {.name = "VNR_STATUS_" #n, .value = (c)},
#include <veneer/status.def>
#undef VNR_STATUS
};

static const struct abi_entry def_privileges[] = {
#define VNR_PRIV(n, c) {.name = "VNR_PRIV_BIT_" #n, .value = (c)},
#include <veneer/privileges.def>
#undef VNR_PRIV
};

static const struct abi_entry def_features[] = {
#define VNR_FEATURE(n, c) {.name = "VNR_FEATURE_BIT_" #n, .value = (c)},
#include <veneer/features.def>
#undef VNR_FEATURE
};

static const struct abi_entry def_cpuid[] = {
#define VNR_CPUID_LEAF(n, c) {.name = "VNR_CPUID_LEAF_" #n, .value = (c)},
#include <veneer/cpuid.def>
#undef VNR_CPUID_LEAF
};

static const struct abi_entry def_msrs[] = {
#define VNR_MSR(n, c) {.name = "VNR_MSR_" #n, .value = (c)},
#include <veneer/msrs.def>
#undef VNR_MSR
};

static const struct abi_entry def_registers[] = {
#define VNR_REG(n, c, s) {.name = "VNR_REG_" #n, .value = (c)},
#include <veneer/registers.def>
#undef VNR_REG
};

/*
 * The calls table spells the form in lower case and the privilege as the
 * full VNR_PRIV_BIT_ name, or an em dash for NONE.
 */
static struct abi_entry doc_style_calls[ARRAY_SIZE(def_calls)];

static void init_doc_style_calls(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(def_calls); i++) {
		struct abi_entry *e = &doc_style_calls[i];
		char *c;

		*e = def_calls[i];
		for (c = e->form; *c; c++) {
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		}
		if (strcmp(def_calls[i].priv, "NONE") == 0)
			snprintf(e->priv, sizeof(e->priv), "%s", EM_DASH);
		else
			snprintf(e->priv, sizeof(e->priv), "VNR_PRIV_BIT_%.48s",
				 def_calls[i].priv);
	}
}

static struct abi_def defs[] = {
	{"calls.def", ABI_CODE_HEX, 1, doc_style_calls, ARRAY_SIZE(def_calls)},
	{"status.def", ABI_CODE_HEX, 0, def_status, ARRAY_SIZE(def_status)},
	{"privileges.def", ABI_CODE_DEC, 0, def_privileges,
	 ARRAY_SIZE(def_privileges)},
	{"features.def", ABI_CODE_DEC, 0, def_features,
	 ARRAY_SIZE(def_features)},
	{"cpuid.def", ABI_CODE_HEX, 0, def_cpuid, ARRAY_SIZE(def_cpuid)},
	{"msrs.def", ABI_CODE_HEX, 0, def_msrs, ARRAY_SIZE(def_msrs)},
	{"registers.def", ABI_CODE_DEC, 0, def_registers,
	 ARRAY_SIZE(def_registers)},
};

static const char *spec_dir = VENEER_SPEC_DIR;

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)size + 1);
	if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[size] = '\0';
	fclose(f);
	return buf;
}

static int name_ends_md(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

/* Parse every .md file of the specification; returns the number of files read.
 */
static unsigned int parse_spec(struct abi_doc *doc, struct abi_report *r)
{
	unsigned int files = 0;
	struct dirent *de;
	DIR *dir = opendir(spec_dir);

	if (!dir) {
		abi_report_add(r, "cannot open specification directory %s",
			       spec_dir);
		return 0;
	}
	while ((de = readdir(dir)) != NULL) {
		char path[4096];
		char *text;

		if (!name_ends_md(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", spec_dir, de->d_name);
		text = read_text(path);
		if (!text) {
			abi_report_add(r, "cannot read %s", path);
			continue;
		}
		abi_parse_markdown(de->d_name, text, doc, r);
		free(text);
		files++;
	}
	closedir(dir);
	return files;
}

/* The real specification. */

START_TEST(spec_matches_def_files)
{
	static struct abi_doc doc;
	struct abi_report r;
	unsigned int files;

	abi_report_init(&r);
	files = parse_spec(&doc, &r);
	ck_assert_msg(files > 0, "no .md files in %s", spec_dir);
	abi_check_all(defs, ARRAY_SIZE(defs), &doc, &r);
	ck_assert_msg(r.errors == 0, "%u problem(s) in %s:\n%s", r.errors,
		      spec_dir, r.text);
}
END_TEST

START_TEST(calls_name_existing_privileges)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(def_calls); i++) {
		const char *priv = doc_style_calls[i].priv;

		if (strcmp(priv, EM_DASH) == 0)
			continue;
		for (j = 0; j < ARRAY_SIZE(def_privileges); j++) {
			if (strcmp(def_privileges[j].name, priv) == 0)
				break;
		}
		ck_assert_msg(j < ARRAY_SIZE(def_privileges),
			      "calls.def: %s needs %s, which is not in "
			      "privileges.def",
			      def_calls[i].name, priv);
	}
}
END_TEST

START_TEST(def_values_fit_their_fields)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(def_calls); i++) {
		ck_assert_msg(def_calls[i].value != 0 &&
				      def_calls[i].value <= VNR_HC_CODE_MASK,
			      "%s: code 0x%llx outside 0x0001-0xFFFF",
			      def_calls[i].name, def_calls[i].value);
		ck_assert_msg(def_calls[i].value < VNR_CALL_BOUND,
			      "VNR_CALL_BOUND too small for %s",
			      def_calls[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(def_status); i++)
		ck_assert_msg(def_status[i].value <= VNR_HC_STATUS_MASK,
			      "%s does not fit RAX 15:0", def_status[i].name);
	for (i = 0; i < ARRAY_SIZE(def_privileges); i++)
		ck_assert_msg(def_privileges[i].value < 32,
			      "%s does not fit CPUID EBX",
			      def_privileges[i].name);
	for (i = 0; i < ARRAY_SIZE(def_features); i++)
		ck_assert_msg(def_features[i].value < 32,
			      "%s does not fit CPUID EAX",
			      def_features[i].name);
	for (i = 0; i < ARRAY_SIZE(def_cpuid); i++)
		ck_assert_msg(def_cpuid[i].value >= VNR_CPUID_RANGE_FIRST &&
				      def_cpuid[i].value <=
					      VNR_CPUID_RANGE_LAST,
			      "%s outside the hypervisor CPUID range",
			      def_cpuid[i].name);
	for (i = 0; i < ARRAY_SIZE(def_msrs); i++)
		ck_assert_msg(def_msrs[i].value >= VNR_MSR_RANGE_FIRST &&
				      def_msrs[i].value <= VNR_MSR_RANGE_LAST,
			      "%s outside the synthetic MSR range",
			      def_msrs[i].name);
	/* In order from 0, so that VNR_REG_COUNT is one past the last. */
	for (i = 0; i < ARRAY_SIZE(def_registers); i++)
		ck_assert_msg(def_registers[i].value == i,
			      "%s has code %llu, not %zu: registers.def has a "
			      "gap or is out of order",
			      def_registers[i].name, def_registers[i].value, i);
	ck_assert_uint_eq(ARRAY_SIZE(def_registers), VNR_REG_COUNT);
}
END_TEST

/* text with each run of blanks and line ends made one space, in place. */
static void squeeze_blanks(char *text)
{
	char *out = text;
	int blank = 0;

	for (const char *in = text; *in; in++) {
		if (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r') {
			blank = 1;
			continue;
		}
		if (blank && out != text)
			*out++ = ' ';
		blank = 0;
		*out++ = *in;
	}
	*out = '\0';
}

/*
 * README.md names the version of <veneer/version.h> in its first line and
 * has a change-log row for it, and none for the next minor version.
 */
START_TEST(spec_version_matches_header)
{
	char path[4096], want[256];
	char *text;

	snprintf(path, sizeof(path), "%s/README.md", spec_dir);
	text = read_text(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	squeeze_blanks(text);
	snprintf(want, sizeof(want),
		 "Version %d.%d, describing guest ABI version %d.%d "
		 "(`VNR_ABI_VERSION` = `0x%08X`, major %d, minor %d)",
		 VNR_ABI_MAJOR, VNR_ABI_MINOR, VNR_ABI_MAJOR, VNR_ABI_MINOR,
		 (unsigned int)VNR_ABI_VERSION, VNR_ABI_MAJOR, VNR_ABI_MINOR);
	ck_assert_msg(strstr(text, want) != NULL, "%s does not say '%s'", path,
		      want);
	snprintf(want, sizeof(want), "| %d.%d | %d.%d |", VNR_ABI_MAJOR,
		 VNR_ABI_MINOR, VNR_ABI_MAJOR, VNR_ABI_MINOR);
	ck_assert_msg(strstr(text, want) != NULL, "%s: no change-log row '%s'",
		      path, want);
	snprintf(want, sizeof(want), "| %d.%d |", VNR_ABI_MAJOR,
		 VNR_ABI_MINOR + 1);
	ck_assert_msg(strstr(text, want) == NULL,
		      "%s: change-log row '%s' is past <veneer/version.h>",
		      path, want);
	free(text);
}
END_TEST

/* The checker against deliberately wrong tables. */

static const struct abi_entry small_def_entries[] = {
	{.name = "VNR_CALL_A", .value = 1, .form = "fast", .priv = EM_DASH},
	{.name = "VNR_CALL_B",
	 .value = 2,
	 .form = "memory",
	 .priv = "VNR_PRIV_BIT_X"},
	{.name = "VNR_CALL_C", .value = 3, .form = "rep", .priv = EM_DASH},
};

static const struct abi_def small_def = {"small.def", ABI_CODE_HEX, 1,
					 small_def_entries,
					 ARRAY_SIZE(small_def_entries)};

static const char good_md[] =
	"# Calls\n"
	"\n"
	"<!-- abi-table: small.def -->\n"
	"\n"
	"| Code | Name | Form | Privilege | Description |\n"
	"|------|------|:----:|-----------|-------------|\n"
	"| 0x0001 | VNR_CALL_A | fast | \xe2\x80\x94 | a |\n"
	"| 0x0002 | `VNR_CALL_B` | memory | VNR_PRIV_BIT_X | b |\n"
	"| 0x0003 | VNR_CALL_C | rep | \xe2\x80\x94 | c |\n"
	"\n"
	"Text after the table.\n";

/* Parse text and compare it with small_def; returns the problem count. */
static unsigned int check_text(const char *text, struct abi_report *r)
{
	static struct abi_doc doc;

	memset(&doc, 0, sizeof(doc));
	abi_report_init(r);
	abi_parse_markdown("test.md", text, &doc, r);
	abi_check_all(&small_def, 1, &doc, r);
	return r->errors;
}

/* Replace the first occurrence of from by to in good_md. */
static const char *mutate(const char *from, const char *to)
{
	static char buf[sizeof(good_md) + 256];
	const char *at = strstr(good_md, from);

	ck_assert_ptr_nonnull(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - good_md), good_md, to,
		 at + strlen(from));
	return buf;
}

static void expect_failure(const char *text, const char *needle)
{
	struct abi_report r;

	check_text(text, &r);
	ck_assert_msg(r.errors > 0, "drift not detected (expected '%s')",
		      needle);
	ck_assert_msg(strstr(r.text, needle) != NULL,
		      "expected a message containing '%s', got:\n%s", needle,
		      r.text);
}

START_TEST(checker_accepts_good_table)
{
	struct abi_report r;

	check_text(good_md, &r);
	ck_assert_msg(r.errors == 0, "unexpected problems:\n%s", r.text);
}
END_TEST

START_TEST(checker_missing_in_doc)
{
	expect_failure(mutate("| 0x0003 | VNR_CALL_C | rep | \xe2\x80\x94 | c "
			      "|\n",
			      ""),
		       "VNR_CALL_C (0x3) from small.def is missing");
}
END_TEST

START_TEST(checker_missing_in_def)
{
	expect_failure(mutate("\nText after",
			      "| 0x0004 | VNR_CALL_D | fast | \xe2\x80\x94 | d "
			      "|\n\nText after"),
		       "VNR_CALL_D (0x4) is not in small.def");
}
END_TEST

START_TEST(checker_wrong_value)
{
	expect_failure(mutate("0x0002", "0x0012"),
		       "VNR_CALL_B has code 0x12, small.def says 0x2");
}
END_TEST

START_TEST(checker_duplicate_code)
{
	expect_failure(mutate("| 0x0003 | VNR_CALL_C", "| 0x0002 | VNR_CALL_C"),
		       "duplicate code 0x2");
}
END_TEST

START_TEST(checker_duplicate_code_in_def)
{
	static const struct abi_entry dup[] = {
		{.name = "VNR_CALL_A", .value = 1},
		{.name = "VNR_CALL_B", .value = 1},
	};
	const struct abi_def def = {"dup.def", ABI_CODE_HEX, 0, dup, 2};
	static struct abi_table doc;
	struct abi_report r;

	memset(&doc, 0, sizeof(doc));
	snprintf(doc.def, sizeof(doc.def), "dup.def");
	snprintf(doc.source, sizeof(doc.source), "test.md");
	doc.entries[0] = dup[0];
	doc.entries[1] = dup[1];
	doc.count = 2;
	abi_report_init(&r);
	ck_assert_uint_gt(abi_compare(&def, &doc, &r), 0);
	ck_assert_ptr_nonnull(strstr(r.text, "dup.def: duplicate code 0x1"));
}
END_TEST

START_TEST(checker_wrong_form)
{
	expect_failure(mutate("| memory |", "| fast |"),
		       "VNR_CALL_B has form 'fast', small.def says 'memory'");
}
END_TEST

START_TEST(checker_wrong_privilege)
{
	expect_failure(mutate("VNR_PRIV_BIT_X", "VNR_PRIV_BIT_Y"),
		       "VNR_CALL_B has privilege 'VNR_PRIV_BIT_Y'");
}
END_TEST

START_TEST(checker_decimal_code_in_hex_table)
{
	expect_failure(mutate("0x0003", "3"), "must be written as 0x hex");
}
END_TEST

START_TEST(checker_missing_table)
{
	expect_failure(mutate("abi-table: small.def", "abi-table: other.def"),
		       "small.def has no table in the specification");
	expect_failure(mutate("abi-table: small.def", "abi-table: other.def"),
		       "table names unknown file other.def");
}
END_TEST

START_TEST(checker_marker_without_table)
{
	expect_failure(mutate("| Code |", "Code |"), "not followed by a table");
}
END_TEST

START_TEST(checker_bad_code_cell)
{
	expect_failure(mutate("0x0001", "0x00g1"), "is not a number");
}
END_TEST

START_TEST(checker_second_table)
{
	char text[2 * sizeof(good_md)];

	snprintf(text, sizeof(text), "%s%s", good_md, good_md);
	expect_failure(text, "second table for small.def");
}
END_TEST

static Suite *spec_suite(void)
{
	Suite *s = suite_create("spec_tables");
	TCase *real = tcase_create("specification");
	TCase *checker = tcase_create("checker");

	tcase_add_test(real, spec_matches_def_files);
	tcase_add_test(real, calls_name_existing_privileges);
	tcase_add_test(real, def_values_fit_their_fields);
	tcase_add_test(real, spec_version_matches_header);
	suite_add_tcase(s, real);

	tcase_add_test(checker, checker_accepts_good_table);
	tcase_add_test(checker, checker_missing_in_doc);
	tcase_add_test(checker, checker_missing_in_def);
	tcase_add_test(checker, checker_wrong_value);
	tcase_add_test(checker, checker_duplicate_code);
	tcase_add_test(checker, checker_duplicate_code_in_def);
	tcase_add_test(checker, checker_wrong_form);
	tcase_add_test(checker, checker_wrong_privilege);
	tcase_add_test(checker, checker_decimal_code_in_hex_table);
	tcase_add_test(checker, checker_missing_table);
	tcase_add_test(checker, checker_marker_without_table);
	tcase_add_test(checker, checker_bad_code_cell);
	tcase_add_test(checker, checker_second_table);
	suite_add_tcase(s, checker);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc > 1)
		spec_dir = argv[1];
	init_doc_style_calls();
	sr = srunner_create(spec_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
