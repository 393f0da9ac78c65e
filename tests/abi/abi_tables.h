/* SPDX-License-Identifier: MIT */
/*
 * Comparison of the ABI tables in docs/spec/ with the .def files of
 * sdk/include/veneer/.
 *
 * A table in the specification is introduced by a marker line naming its
 * .def file, followed by a Markdown table whose first column holds the code
 * (0x hex, or the decimal bit number for bit tables) and whose second
 * column holds the full C name:
 *
 *   <!-- abi-table: calls.def -->
 *   | Code   | Name               | Form | Privilege | Description |
 *   |--------|--------------------|------|-----------|-------------|
 *   | 0x0001 | VNR_CALL_NULL_CALL | fast | —         | ...         |
 *
 * The calls table has two more checked columns: the form (fast, memory,
 * rep) and the privilege (a VNR_PRIV_BIT_ name, or "—" for none).
 */
#ifndef VENEER_TESTS_ABI_TABLES_H
#define VENEER_TESTS_ABI_TABLES_H

#include <stddef.h>

#define ABI_NAME_MAX	      64
#define ABI_CELL_MAX	      64
#define ABI_TABLE_ENTRIES_MAX 128
#define ABI_DOC_TABLES_MAX    16
#define ABI_REPORT_MAX	      16384

/* How a table writes its first column. */
enum abi_code_style {
	ABI_CODE_HEX, /* 0x hex: codes, leaves, MSR indices */
	ABI_CODE_DEC, /* decimal: bit numbers */
};

struct abi_entry {
	char name[ABI_NAME_MAX];
	unsigned long long value;
	char form[ABI_CELL_MAX]; /* calls only */
	char priv[ABI_CELL_MAX]; /* calls only */
	int hex;		 /* documents: the code was written as 0x hex */
	int line;		 /* documents: line of the row, else 0 */
};

/* One table: the expansion of a .def file, or one parsed from a document. */
struct abi_table {
	char def[ABI_NAME_MAX];	   /* "calls.def" */
	char source[ABI_NAME_MAX]; /* "calls.def" or "hypercalls.md" */
	int line;		   /* documents: line of the marker */
	struct abi_entry entries[ABI_TABLE_ENTRIES_MAX];
	size_t count;
};

/* What the checker knows about one .def file. */
struct abi_def {
	const char *file; /* "calls.def" */
	enum abi_code_style style;
	int has_form_priv; /* the calls table */
	const struct abi_entry *entries;
	size_t count;
};

/* All tables found in the specification. */
struct abi_doc {
	struct abi_table tables[ABI_DOC_TABLES_MAX];
	size_t count;
};

/* Accumulated failure messages, one per line. */
struct abi_report {
	char text[ABI_REPORT_MAX];
	size_t len;
	unsigned int errors;
};

void abi_report_init(struct abi_report *r);
void abi_report_add(struct abi_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Parse every marked table of one Markdown document into doc.  Malformed
 * markers, tables and rows are reported.  Returns the number of tables found.
 */
size_t abi_parse_markdown(const char *file_name, const char *text,
			  struct abi_doc *doc, struct abi_report *r);

/*
 * Compare one .def expansion with one document table in both directions.
 * Returns the number of problems added to r.
 */
unsigned int abi_compare(const struct abi_def *def, const struct abi_table *doc,
			 struct abi_report *r);

/*
 * Check the whole specification: every .def file has exactly one table,
 * every table names a known .def file, and each pair compares equal.
 * Returns the number of problems added to r.
 */
unsigned int abi_check_all(const struct abi_def *defs, size_t ndefs,
			   const struct abi_doc *doc, struct abi_report *r);

#endif /* VENEER_TESTS_ABI_TABLES_H */
