/* SPDX-License-Identifier: MIT */
/* Parsing of the marked Markdown tables and their comparison with .def data. */
#include "abi_tables.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARKER_OPEN  "<!--"
#define MARKER_KEY   "abi-table:"
#define MARKER_CLOSE "-->"
#define MAX_CELLS    16

void abi_report_init(struct abi_report *r)
{
	r->text[0] = '\0';
	r->len = 0;
	r->errors = 0;
}

void abi_report_add(struct abi_report *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	r->errors++;
	if (r->len + 2 >= sizeof(r->text))
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->len, sizeof(r->text) - r->len - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	r->len += (size_t)n;
	if (r->len > sizeof(r->text) - 2)
		r->len = sizeof(r->text) - 2;
	r->text[r->len++] = '\n';
	r->text[r->len] = '\0';
}

/* Copy [s, e) without surrounding blanks and backticks into dst. */
static void copy_trimmed(char *dst, size_t size, const char *s, const char *e)
{
	size_t n;

	while (s < e && (isspace((unsigned char)*s) || *s == '`'))
		s++;
	while (e > s && (isspace((unsigned char)e[-1]) || e[-1] == '`'))
		e--;
	n = (size_t)(e - s);
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Length of the line starting at s, without its newline. */
static size_t line_length(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? (size_t)(nl - s) : strlen(s);
}

static const char *skip_blanks(const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	return s;
}

static int is_blank_line(const char *s, size_t len)
{
	return skip_blanks(s, s + len) == s + len;
}

static int is_table_row(const char *s, size_t len)
{
	const char *p = skip_blanks(s, s + len);

	return p < s + len && *p == '|';
}

/* Split a table row into trimmed cells; returns the number of cells. */
static size_t split_row(const char *s, size_t len, char cells[][ABI_CELL_MAX],
			size_t max)
{
	const char *e = s + len;
	const char *p = skip_blanks(s, e);
	size_t n = 0;

	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	if (p < e && *p == '|')
		p++;
	if (e > p && e[-1] == '|')
		e--;
	while (p <= e && n < max) {
		const char *bar = memchr(p, '|', (size_t)(e - p));
		const char *end = bar ? bar : e;

		copy_trimmed(cells[n++], ABI_CELL_MAX, p, end);
		if (!bar)
			break;
		p = bar + 1;
	}
	return n;
}

static int is_separator_row(char cells[][ABI_CELL_MAX], size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		const char *c = cells[i];

		if (!*c)
			return 0;
		for (; *c; c++) {
			if (*c != '-' && *c != ':')
				return 0;
		}
	}
	return 1;
}

/*
 * If the line is a table marker, copy the .def name into def and return 1.
 * A line that starts like a marker but is malformed is reported.
 */
static int parse_marker(const char *file_name, int line_no, const char *s,
			size_t len, char *def, size_t size,
			struct abi_report *r)
{
	const char *e = s + len;
	const char *p = skip_blanks(s, e);
	const char *name, *name_end;
	size_t klen = strlen(MARKER_KEY);

	if ((size_t)(e - p) < strlen(MARKER_OPEN) ||
	    memcmp(p, MARKER_OPEN, strlen(MARKER_OPEN)) != 0)
		return 0;
	p = skip_blanks(p + strlen(MARKER_OPEN), e);
	if ((size_t)(e - p) < klen || memcmp(p, MARKER_KEY, klen) != 0)
		return 0;
	name = skip_blanks(p + klen, e);
	name_end = name;
	while (name_end < e && !isspace((unsigned char)*name_end) &&
	       strncmp(name_end, MARKER_CLOSE, 3) != 0)
		name_end++;
	p = skip_blanks(name_end, e);
	if (name == name_end || (size_t)(e - p) < 3 ||
	    strncmp(p, MARKER_CLOSE, 3) != 0) {
		abi_report_add(r, "%s:%d: malformed abi-table marker",
			       file_name, line_no);
		return 0;
	}
	copy_trimmed(def, size, name, name_end);
	return 1;
}

static int parse_code(const char *cell, unsigned long long *value, int *hex)
{
	const char *digits = cell;
	char *end;
	int base = 10;

	if (cell[0] == '0' && (cell[1] == 'x' || cell[1] == 'X')) {
		digits = cell + 2;
		base = 16;
	}
	if (!isxdigit((unsigned char)*digits))
		return -1;
	*value = strtoull(digits, &end, base);
	if (*end != '\0')
		return -1;
	*hex = base == 16;
	return 0;
}

size_t abi_parse_markdown(const char *file_name, const char *text,
			  struct abi_doc *doc, struct abi_report *r)
{
	char cells[MAX_CELLS][ABI_CELL_MAX];
	const char *s = text;
	size_t found = 0;
	int line_no = 1;

	while (*s) {
		size_t len = line_length(s);
		struct abi_table *t;
		int marker_line = line_no;
		char def[ABI_NAME_MAX];
		size_t n;

		if (!parse_marker(file_name, line_no, s, len, def, sizeof(def),
				  r)) {
			s += len + (s[len] == '\n');
			line_no++;
			continue;
		}
		s += len + (s[len] == '\n');
		line_no++;

		if (doc->count == ABI_DOC_TABLES_MAX) {
			abi_report_add(r, "%s:%d: too many abi tables",
				       file_name, marker_line);
			return found;
		}
		t = &doc->tables[doc->count++];
		memset(t, 0, sizeof(*t));
		snprintf(t->def, sizeof(t->def), "%s", def);
		snprintf(t->source, sizeof(t->source), "%s", file_name);
		t->line = marker_line;
		found++;

		/* Blank lines may separate the marker from the table. */
		while (*s && is_blank_line(s, line_length(s))) {
			s += line_length(s) + (s[line_length(s)] == '\n');
			line_no++;
		}
		len = line_length(s);
		if (!is_table_row(s, len)) {
			abi_report_add(r,
				       "%s:%d: abi-table marker for %s is not "
				       "followed by a table",
				       file_name, marker_line, def);
			continue;
		}
		/* Header row, then the separator row. */
		s += len + (s[len] == '\n');
		line_no++;
		len = line_length(s);
		n = is_table_row(s, len) ? split_row(s, len, cells, MAX_CELLS)
					 : 0;
		if (!is_separator_row(cells, n)) {
			abi_report_add(r,
				       "%s:%d: table for %s has no separator "
				       "row under its header",
				       file_name, line_no, def);
			continue;
		}
		s += len + (s[len] == '\n');
		line_no++;

		while (*s && is_table_row(s, len = line_length(s))) {
			struct abi_entry *e;

			n = split_row(s, len, cells, MAX_CELLS);
			if (t->count == ABI_TABLE_ENTRIES_MAX) {
				abi_report_add(r, "%s:%d: too many rows",
					       file_name, line_no);
			} else if (n < 2) {
				abi_report_add(r, "%s:%d: row has %zu cells",
					       file_name, line_no, n);
			} else {
				e = &t->entries[t->count++];
				memset(e, 0, sizeof(*e));
				e->line = line_no;
				snprintf(e->name, sizeof(e->name), "%s",
					 cells[1]);
				if (n > 2)
					snprintf(e->form, sizeof(e->form), "%s",
						 cells[2]);
				if (n > 3)
					snprintf(e->priv, sizeof(e->priv), "%s",
						 cells[3]);
				if (parse_code(cells[0], &e->value, &e->hex)) {
					abi_report_add(r,
						       "%s:%d: %s: code '%s' "
						       "is not a number",
						       file_name, line_no,
						       e->name, cells[0]);
					t->count--;
				}
			}
			s += len + (s[len] == '\n');
			line_no++;
		}
	}
	return found;
}

static int same_word(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	}
	return *a == *b;
}

static const struct abi_entry *find_name(const struct abi_entry *entries,
					 size_t count, const char *name)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (strcmp(entries[i].name, name) == 0)
			return &entries[i];
	}
	return NULL;
}

/* Report duplicate codes and names within one side. */
static unsigned int check_duplicates(const char *where,
				     const struct abi_entry *entries,
				     size_t count, struct abi_report *r)
{
	unsigned int before = r->errors;
	size_t i, j;

	for (i = 0; i < count; i++) {
		for (j = 0; j < i; j++) {
			if (entries[i].value == entries[j].value)
				abi_report_add(r,
					       "%s: duplicate code 0x%llx "
					       "(%s and %s)",
					       where, entries[i].value,
					       entries[j].name,
					       entries[i].name);
			if (strcmp(entries[i].name, entries[j].name) == 0)
				abi_report_add(r, "%s: duplicate name %s",
					       where, entries[i].name);
		}
	}
	return r->errors - before;
}

unsigned int abi_compare(const struct abi_def *def, const struct abi_table *doc,
			 struct abi_report *r)
{
	unsigned int before = r->errors;
	char where[2 * ABI_NAME_MAX + 16];
	size_t i;

	snprintf(where, sizeof(where), "%s (table for %s)", doc->source,
		 def->file);
	check_duplicates(def->file, def->entries, def->count, r);
	check_duplicates(where, doc->entries, doc->count, r);

	/* Every .def entry is documented with the same code and columns. */
	for (i = 0; i < def->count; i++) {
		const struct abi_entry *want = &def->entries[i];
		const struct abi_entry *got =
			find_name(doc->entries, doc->count, want->name);

		if (!got) {
			abi_report_add(r, "%s: %s (0x%llx) from %s is missing",
				       where, want->name, want->value,
				       def->file);
			continue;
		}
		if (got->value != want->value)
			abi_report_add(r,
				       "%s:%d: %s has code 0x%llx, %s says "
				       "0x%llx",
				       doc->source, got->line, want->name,
				       got->value, def->file, want->value);
		if (def->style == ABI_CODE_HEX && !got->hex)
			abi_report_add(r,
				       "%s:%d: %s: code must be written as "
				       "0x hex",
				       doc->source, got->line, want->name);
		if (def->style == ABI_CODE_DEC && got->hex)
			abi_report_add(r,
				       "%s:%d: %s: bit number must be "
				       "written in decimal",
				       doc->source, got->line, want->name);
		if (!def->has_form_priv)
			continue;
		if (!same_word(got->form, want->form))
			abi_report_add(r,
				       "%s:%d: %s has form '%s', %s says '%s'",
				       doc->source, got->line, want->name,
				       got->form, def->file, want->form);
		if (strcmp(got->priv, want->priv) != 0)
			abi_report_add(r,
				       "%s:%d: %s has privilege '%s', %s says "
				       "'%s'",
				       doc->source, got->line, want->name,
				       got->priv, def->file, want->priv);
	}

	/* Every documented entry exists in the .def file. */
	for (i = 0; i < doc->count; i++) {
		const struct abi_entry *got = &doc->entries[i];

		if (!find_name(def->entries, def->count, got->name))
			abi_report_add(r, "%s:%d: %s (0x%llx) is not in %s",
				       doc->source, got->line, got->name,
				       got->value, def->file);
	}
	return r->errors - before;
}

unsigned int abi_check_all(const struct abi_def *defs, size_t ndefs,
			   const struct abi_doc *doc, struct abi_report *r)
{
	unsigned int before = r->errors;
	size_t i, j;

	for (i = 0; i < doc->count; i++) {
		const struct abi_table *t = &doc->tables[i];

		for (j = 0; j < ndefs; j++) {
			if (strcmp(defs[j].file, t->def) == 0)
				break;
		}
		if (j == ndefs)
			abi_report_add(r, "%s:%d: table names unknown file %s",
				       t->source, t->line, t->def);
	}

	for (j = 0; j < ndefs; j++) {
		const struct abi_table *match = NULL;

		for (i = 0; i < doc->count; i++) {
			const struct abi_table *t = &doc->tables[i];

			if (strcmp(defs[j].file, t->def) != 0)
				continue;
			if (match) {
				abi_report_add(r,
					       "%s:%d: second table for %s "
					       "(first at %s:%d)",
					       t->source, t->line, t->def,
					       match->source, match->line);
				continue;
			}
			match = t;
		}
		if (!match) {
			abi_report_add(r,
				       "%s has no table in the specification "
				       "(expected a '<!-- abi-table: %s -->' "
				       "marker)",
				       defs[j].file, defs[j].file);
			continue;
		}
		abi_compare(&defs[j], match, r);
	}
	return r->errors - before;
}
