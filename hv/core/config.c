/* SPDX-License-Identifier: MIT */
/*
 * The veneer.cfg parser (format: docs/configuration.md).
 *
 * The file is edited by hand and read before anything can be fixed
 * interactively, so nothing is guessed: unknown names, duplicates and
 * out-of-range values are errors that name the line, never warnings.
 */
#include <hv/config.h>
#include <hv/format.h>
#include <hv/string.h>
#include <libvnr/name.h>

enum section {
	SECTION_NONE,
	SECTION_HYPERVISOR,
	SECTION_PARTITION,
	SECTION_ROOT,
};

struct parser {
	struct hv_config *cfg;
	const char *filename;
	char *err;
	size_t err_size;
	u32 line;
	enum section section;
	u32 section_line; /* where the current section header is */
	u32 seen;	  /* keys of the current section already given */
};

struct key {
	const char *name;
	bool (*set)(struct parser *p, char *value);
	bool required;
	bool may_be_empty;
	bool repeatable;
};

static bool fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->err || !p->err_size)
		return false;
	n = hv_snprintf(p->err, p->err_size, "%s:%u: ", p->filename, p->line);
	if (n >= 0 && (size_t)n < p->err_size) {
		va_start(ap, fmt);
		hv_vsnprintf(p->err + n, p->err_size - n, fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_digit(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Trims blanks at both ends, in place. */
static char *trim(char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

enum number { NUMBER_OK, NUMBER_BAD, NUMBER_OVERFLOW };

/*
 * Reads a decimal or 0x-prefixed hexadecimal number at the start of s and
 * points *rest past it.  Without strtoul, overflow is caught digit by digit.
 */
static enum number parse_number(const char *s, u64 *out, const char **rest)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	u64 v = 0;
	int d;

	if (hex)
		s += 2;
	if (hex ? hex_digit(*s) < 0 : !is_digit(*s))
		return NUMBER_BAD;
	for (;; s++) {
		d = hex ? hex_digit(*s) : (is_digit(*s) ? *s - '0' : -1);
		if (d < 0)
			break;
		if (hex ? v >> 60 : v > (~0ull - (u64)d) / 10)
			return NUMBER_OVERFLOW;
		v = v * (hex ? 16 : 10) + (u64)d;
	}
	*out = v;
	*rest = s;
	return NUMBER_OK;
}

/* A whole value that must be a plain number within [min, max]. */
static bool get_number(struct parser *p, const char *key, const char *value,
		       u64 min, u64 max, const char *range, u64 *out)
{
	const char *rest;

	switch (parse_number(value, out, &rest)) {
	case NUMBER_BAD:
		return fail(p, "%s: invalid number '%s'", key, value);
	case NUMBER_OVERFLOW:
		return fail(p, "%s: number '%s' is too large", key, value);
	case NUMBER_OK:
		break;
	}
	if (*rest)
		return fail(p, "%s: invalid number '%s'", key, value);
	if (*out < min || *out > max)
		return fail(p, "%s: '%s' is out of range %s", key, value,
			    range);
	return true;
}

static struct hv_partition_config *current(struct parser *p)
{
	return &p->cfg->partitions[p->cfg->partition_count - 1];
}

static bool set_timeslice(struct parser *p, char *value)
{
	u64 v;

	if (!get_number(p, "timeslice_ms", value, 1, HV_CONFIG_TIMESLICE_MAX,
			"1..1000", &v))
		return false;
	p->cfg->timeslice_ms = (u32)v;
	return true;
}

static bool set_debug_exit(struct parser *p, char *value)
{
	u64 v;

	if (!get_number(p, "debug_exit_port", value, 0, 0xffff, "0..0xffff",
			&v))
		return false;
	p->cfg->has_debug_exit = true;
	p->cfg->debug_exit_port = (u16)v;
	return true;
}

static bool get_yes_no(struct parser *p, const char *key, const char *value,
		       bool *out)
{
	if (!strcmp(value, "yes"))
		*out = true;
	else if (!strcmp(value, "no"))
		*out = false;
	else
		return fail(p, "%s: expected yes or no, not '%s'", key, value);
	return true;
}

static bool set_log_exits(struct parser *p, char *value)
{
	return get_yes_no(p, "log_exits", value, &p->cfg->log_exits);
}

static bool set_crash_test(struct parser *p, char *value)
{
	return get_yes_no(p, "crash_test", value, &p->cfg->crash_test);
}

/* serial = <I/O port of a 16550> | none */
static bool set_serial(struct parser *p, char *value)
{
	u64 v = 0;

	if (strcmp(value, "none") &&
	    !get_number(p, "serial", value, 1, 0xfff8, "1..0xfff8 or none", &v))
		return false;
	p->cfg->serial_set = true;
	p->cfg->serial_port = (u16)v;
	return true;
}

static bool set_path(struct parser *p, const char *key, char *value, char *out)
{
	if (strlen(value) >= HV_CONFIG_IMAGE_MAX)
		return fail(p, "%s: path too long (max %u characters)", key,
			    HV_CONFIG_IMAGE_MAX - 1);
	hv_strlcpy(out, value, HV_CONFIG_IMAGE_MAX);
	return true;
}

static bool set_root_kernel(struct parser *p, char *value)
{
	return set_path(p, "kernel", value, p->cfg->root.kernel);
}

static bool set_root_initrd(struct parser *p, char *value)
{
	return set_path(p, "initrd", value, p->cfg->root.initrd);
}

static bool set_root_cmdline(struct parser *p, char *value)
{
	if (strlen(value) >= HV_CONFIG_ROOT_CMDLINE_MAX)
		return fail(p, "cmdline: too long (max %u characters)",
			    HV_CONFIG_ROOT_CMDLINE_MAX - 1);
	hv_strlcpy(p->cfg->root.cmdline, value, HV_CONFIG_ROOT_CMDLINE_MAX);
	return true;
}

static bool set_image(struct parser *p, char *value)
{
	return set_path(p, "image", value, current(p)->image);
}

static bool set_kernel(struct parser *p, char *value)
{
	return set_path(p, "kernel", value, current(p)->kernel);
}

static bool set_initrd(struct parser *p, char *value)
{
	return set_path(p, "initrd", value, current(p)->initrd);
}

static unsigned size_shift(char suffix)
{
	switch (suffix) {
	case 'K':
	case 'k':
		return 10;
	case 'M':
	case 'm':
		return 20;
	case 'G':
	case 'g':
		return 30;
	}
	return 0;
}

static bool set_memory(struct parser *p, char *value)
{
	const char *rest;
	unsigned shift = 0;
	u64 v;

	switch (parse_number(value, &v, &rest)) {
	case NUMBER_BAD:
		goto bad;
	case NUMBER_OVERFLOW:
		return fail(p, "memory: size '%s' is too large", value);
	case NUMBER_OK:
		break;
	}
	if (*rest) {
		shift = size_shift(*rest);
		if (!shift || rest[1])
			goto bad;
	}
	if (v > (~0ull >> shift))
		return fail(p, "memory: size '%s' is too large", value);
	v <<= shift;
	if (v < HV_CONFIG_MEMORY_MIN || v > HV_CONFIG_MEMORY_MAX)
		return fail(p, "memory: '%s' is out of range 2M..4G", value);
	if (!IS_ALIGNED(v, HV_CONFIG_MEMORY_ALIGN))
		return fail(p, "memory: '%s' is not a multiple of 2M", value);
	current(p)->memory_bytes = v;
	return true;
bad:
	return fail(p,
		    "memory: invalid size '%s' (a number with an "
		    "optional K, M or G suffix)",
		    value);
}

static bool set_vps(struct parser *p, char *value)
{
	char range[24];
	u64 v;

	hv_snprintf(range, sizeof(range), "1..%u", HV_MAX_VPS);
	if (!get_number(p, "vps", value, 1, HV_MAX_VPS, range, &v))
		return false;
	current(p)->vp_count = (u32)v;
	return true;
}

/* Names come from privileges.def, so a new privilege needs no change here. */
static const struct {
	const char *name; /* upper case, as in privileges.def */
	u64 mask;
} privilege_names[] = {
#define VNR_PRIV(name, bit) {#name, VNR_PRIV_MASK(name)},
#include <veneer/privileges.def>
#undef VNR_PRIV
};

/* The file spells privileges in lower case only. */
static bool privilege_matches(const char *word, const char *def_name)
{
	for (; *def_name; word++, def_name++) {
		char c = *def_name;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (*word != c)
			return false;
	}
	return *word == '\0';
}

static bool add_privilege(struct parser *p, const char *word, u64 *mask)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(privilege_names); i++) {
		if (!privilege_matches(word, privilege_names[i].name))
			continue;
		if (*mask & privilege_names[i].mask)
			return fail(p, "privileges: '%s' listed twice", word);
		*mask |= privilege_names[i].mask;
		return true;
	}
	return fail(p, "privileges: unknown privilege '%s'", word);
}

static bool set_privileges(struct parser *p, char *value)
{
	bool none = false, last = false;
	u32 words = 0;
	u64 mask = 0;

	while (!last) {
		char *comma = value, *word;

		while (*comma && *comma != ',')
			comma++;
		last = *comma == '\0';
		*comma = '\0';
		word = trim(value);
		value = comma + 1;
		words++;
		if (!*word)
			return fail(p, "privileges: empty name in list");
		if (!strcmp(word, "none"))
			none = true;
		else if (!add_privilege(p, word, &mask))
			return false;
	}
	if (none && words > 1)
		return fail(p, "privileges: 'none' cannot be combined with "
			       "other privileges");
	current(p)->privileges = mask;
	return true;
}

static bool set_cmdline(struct parser *p, char *value)
{
	if (strlen(value) >= VNR_CMDLINE_MAX)
		return fail(p, "cmdline: too long (max %u characters)",
			    VNR_CMDLINE_MAX - 1);
	hv_strlcpy(current(p)->cmdline, value, VNR_CMDLINE_MAX);
	return true;
}

/* Splits off the next blank-separated word of *s ("" at the end). */
static char *next_word(char **s)
{
	char *w = *s;

	while (is_blank(*w))
		w++;
	*s = w;
	while (**s && !is_blank(**s))
		(*s)++;
	if (**s)
		*(*s)++ = '\0';
	return w;
}

/* "name=<number>" with the number in [min, max]. */
static bool get_named_number(struct parser *p, const char *key, char *word,
			     const char *name, u64 min, u64 max,
			     const char *range, u64 *out)
{
	size_t n = strlen(name);

	if (strncmp(word, name, n) || word[n] != '=')
		return fail(p, "%s: expected '%s=<number>', got '%s'", key,
			    name, word);
	return get_number(p, key, word + n + 1, min, max, range, out);
}

static bool port_id_unused(struct parser *p, u32 id)
{
	struct hv_partition_config *part = current(p);

	for (u32 i = 0; i < part->port_count; i++)
		if (part->ports[i].id == id)
			return fail(p, "port: port %u defined twice", id);
	return true;
}

static bool set_port(struct parser *p, char *value)
{
	struct hv_partition_config *part = current(p);
	struct hv_port_config *port;
	char *kind, *extra, *rest = value;
	u64 id, sint, flags = 0;

	if (part->port_count == HV_MAX_PORTS)
		return fail(p, "port: more than %u ports", HV_MAX_PORTS);
	if (!get_number(p, "port", next_word(&rest), 1, 0xFFFFFFFF,
			"1..4294967295", &id) ||
	    !port_id_unused(p, (u32)id))
		return false;
	kind = next_word(&rest);
	if (strcmp(kind, "message") && strcmp(kind, "event"))
		return fail(p,
			    "port: kind must be 'message' or 'event', got '%s'",
			    kind);
	if (!get_named_number(p, "port", next_word(&rest), "sint", 0,
			      VNR_SINT_COUNT - 1, "0..15", &sint))
		return false;
	if (!strcmp(kind, "event") &&
	    !get_named_number(p, "port", next_word(&rest), "flags", 1,
			      VNR_EVENT_FLAGS_PER_SINT, "1..2048", &flags))
		return false;
	if (*(extra = next_word(&rest)))
		return fail(p, "port: unexpected text '%s'", extra);
	port = &part->ports[part->port_count++];
	port->id = (u32)id;
	port->kind = flags ? HV_PORT_EVENT : HV_PORT_MESSAGE;
	port->sint = (u32)sint;
	port->flag_count = (u32)flags;
	return true;
}

static bool set_connect(struct parser *p, char *value)
{
	struct hv_partition_config *part = current(p);
	struct hv_connect_config *c;
	char *rest = value, *target, *colon, *extra;
	u64 id, port;

	if (part->connect_count == HV_MAX_CONNECTIONS)
		return fail(p, "connect: more than %u connections",
			    HV_MAX_CONNECTIONS);
	if (!get_number(p, "connect", next_word(&rest), 1, 0xFFFFFFFF,
			"1..4294967295", &id))
		return false;
	for (u32 i = 0; i < part->connect_count; i++)
		if (part->connects[i].id == id)
			return fail(p, "connect: connection %llu defined twice",
				    (unsigned long long)id);
	target = next_word(&rest);
	for (colon = target; *colon && *colon != ':'; colon++)
		;
	if (!*colon || colon == target)
		return fail(p, "connect: expected '<id> <partition>:<port>'");
	*colon = '\0';
	if (strlen(target) >= VNR_NAME_MAX)
		return fail(p, "connect: partition name '%s' too long", target);
	if (!get_number(p, "connect", colon + 1, 1, 0xFFFFFFFF, "1..4294967295",
			&port))
		return false;
	if (*(extra = next_word(&rest)))
		return fail(p, "connect: unexpected text '%s'", extra);
	c = &part->connects[part->connect_count++];
	c->id = (u32)id;
	hv_strlcpy(c->target, target, sizeof(c->target));
	c->port_id = (u32)port;
	c->line = p->line;
	return true;
}

/* "PATH" or "PATH ro": a disk veneerctl's block backend serves. */
static bool set_disk(struct parser *p, char *value)
{
	struct hv_partition_config *part = current(p);
	char *rest = value, *path = next_word(&rest), *mode = next_word(&rest);
	struct hv_disk_config *d;

	if (part->disk_count == HV_CONFIG_DISKS_MAX)
		return fail(p, "disk: more than %u disks", HV_CONFIG_DISKS_MAX);
	if (mode[0] && strcmp(mode, "ro"))
		return fail(p, "disk: expected 'PATH' or 'PATH ro', got '%s'",
			    mode);
	if (*next_word(&rest))
		return fail(p, "disk: expected 'PATH' or 'PATH ro'");
	d = &part->disks[part->disk_count];
	if (!set_path(p, "disk", path, d->path))
		return false;
	d->read_only = mode[0] != '\0';
	part->disk_count++;
	return true;
}

static bool set_io_ports(struct parser *p, char *value)
{
	struct hv_partition_config *part = current(p);
	char *dash;
	u64 first, last;

	for (dash = value; *dash && *dash != '-'; dash++)
		;
	if (!*dash)
		return fail(p, "io_ports: expected '<first>-<last>'");
	*dash = '\0';
	if (!get_number(p, "io_ports", trim(value), 1, 0xFFFF, "1..0xffff",
			&first) ||
	    !get_number(p, "io_ports", trim(dash + 1), first, 0xFFFF,
			"first..0xffff", &last))
		return false;
	part->io_first = (u16)first;
	part->io_last = (u16)last;
	return true;
}

/* The root partition manages the machine: it gets every privilege. */
static bool set_root(struct parser *p, char *value)
{
	bool root = false;

	if (!get_yes_no(p, "root", value, &root))
		return false;
	for (u32 i = 0; root && i + 1 < p->cfg->partition_count; i++)
		if (p->cfg->partitions[i].root)
			return fail(p,
				    "root: partition '%s' is already the root",
				    p->cfg->partitions[i].name);
	current(p)->root = root;
	return true;
}

static const struct key hypervisor_keys[] = {
	{.name = "timeslice_ms", .set = set_timeslice},
	{.name = "debug_exit_port", .set = set_debug_exit},
	{.name = "log_exits", .set = set_log_exits},
	{.name = "crash_test", .set = set_crash_test},
	{.name = "serial", .set = set_serial},
};

static const struct key root_keys[] = {
	{.name = "kernel", .set = set_root_kernel, .required = true},
	{.name = "initrd", .set = set_root_initrd},
	{.name = "cmdline", .set = set_root_cmdline, .may_be_empty = true},
};

static const struct key partition_keys[] = {
	{.name = "image", .set = set_image},
	{.name = "kernel", .set = set_kernel},
	{.name = "initrd", .set = set_initrd},
	{.name = "memory", .set = set_memory, .required = true},
	{.name = "vps", .set = set_vps},
	{.name = "privileges", .set = set_privileges},
	{.name = "cmdline", .set = set_cmdline, .may_be_empty = true},
	{.name = "port", .set = set_port, .repeatable = true},
	{.name = "connect", .set = set_connect, .repeatable = true},
	{.name = "io_ports", .set = set_io_ports},
	{.name = "disk", .set = set_disk, .repeatable = true},
	{.name = "root", .set = set_root},
};

static const struct key *section_keys(enum section s, size_t *count)
{
	if (s == SECTION_HYPERVISOR) {
		*count = ARRAY_SIZE(hypervisor_keys);
		return hypervisor_keys;
	}
	if (s == SECTION_ROOT) {
		*count = ARRAY_SIZE(root_keys);
		return root_keys;
	}
	*count = ARRAY_SIZE(partition_keys);
	return partition_keys;
}

static bool finish_root(struct parser *p)
{
	if (!p->cfg->root.kernel[0]) {
		p->line = p->section_line;
		return fail(p, "[root]: missing required key 'kernel'");
	}
	return true;
}

/* A partition boots one thing: a Veneer image or a Linux kernel. */
static bool check_boot_keys(struct parser *p)
{
	const struct hv_partition_config *part = current(p);
	u32 line = p->line;

	p->line = p->section_line;
	if (!part->image[0] && !part->kernel[0])
		return fail(p, "partition '%s': needs 'image' or 'kernel'",
			    part->name);
	if (part->image[0] && part->kernel[0])
		return fail(p,
			    "partition '%s': 'image' and 'kernel' exclude "
			    "each other",
			    part->name);
	if (part->initrd[0] && !part->kernel[0])
		return fail(p, "partition '%s': 'initrd' needs 'kernel'",
			    part->name);
	if (part->kernel[0] && part->memory_bytes > HV_CONFIG_KERNEL_MEMORY_MAX)
		return fail(p,
			    "partition '%s': a kernel's memory ends below "
			    "its local APIC at 0xFEE00000 (max %lluM)",
			    part->name,
			    (unsigned long long)(HV_CONFIG_KERNEL_MEMORY_MAX >>
						 20));
	if (part->kernel[0] && part->root)
		return fail(p,
			    "partition '%s': a kernel cannot be the root "
			    "here (use [root])",
			    part->name);
	p->line = line;
	return true;
}

/* Required keys can only be checked once the section is over. */
static bool finish_section(struct parser *p)
{
	const struct key *keys;
	size_t count, i;

	if (p->section == SECTION_ROOT)
		return finish_root(p);
	if (p->section != SECTION_PARTITION)
		return true;
	keys = section_keys(p->section, &count);
	for (i = 0; i < count; i++) {
		if (keys[i].required && !(p->seen & (1u << i))) {
			p->line = p->section_line;
			return fail(p,
				    "partition '%s': missing required key "
				    "'%s'",
				    current(p)->name, keys[i].name);
		}
	}
	if (!check_boot_keys(p))
		return false;
	if (current(p)->io_last &&
	    !(current(p)->privileges & VNR_PRIV_MASK(OWN_DEVICES))) {
		p->line = p->section_line;
		return fail(p,
			    "partition '%s': io_ports needs the own_devices "
			    "privilege",
			    current(p)->name);
	}
	return true;
}

static const struct hv_partition_config *find_partition(struct hv_config *cfg,
							const char *name)
{
	for (u32 i = 0; i < cfg->partition_count; i++)
		if (!strcmp(cfg->partitions[i].name, name))
			return &cfg->partitions[i];
	return NULL;
}

/* Connections can name partitions defined later: checked at the end. */
static bool check_connections(struct parser *p)
{
	for (u32 i = 0; i < p->cfg->partition_count; i++) {
		const struct hv_partition_config *part = &p->cfg->partitions[i];

		for (u32 c = 0; c < part->connect_count; c++) {
			const struct hv_connect_config *cc = &part->connects[c];
			const struct hv_partition_config *t =
				find_partition(p->cfg, cc->target);
			bool found = false;

			p->line = cc->line;
			if (!t)
				return fail(p, "connect: no partition '%s'",
					    cc->target);
			for (u32 k = 0; k < t->port_count; k++)
				found |= t->ports[k].id == cc->port_id;
			if (!found)
				return fail(p,
					    "connect: partition '%s' has no "
					    "port %u",
					    cc->target, cc->port_id);
		}
	}
	return true;
}

static bool begin_partition(struct parser *p, const char *name)
{
	struct hv_config *cfg = p->cfg;
	struct hv_partition_config *part;
	u32 i;

	if (!*name)
		return fail(p, "partition section needs a name: "
			       "[partition NAME]");
	if (!vnr_name_valid(name))
		return fail(p,
			    "invalid partition name '%s' (1..%u characters "
			    "of A-Z a-z 0-9 _ -), or hv, the hypervisor's",
			    name, VNR_NAME_MAX - 1);
	for (i = 0; i < cfg->partition_count; i++)
		if (!strcmp(cfg->partitions[i].name, name))
			return fail(p, "duplicate partition name '%s'", name);
	if (cfg->partition_count == HV_MAX_PARTITIONS)
		return fail(p, "too many partitions (max %u)",
			    HV_MAX_PARTITIONS);
	part = &cfg->partitions[cfg->partition_count++];
	memset(part, 0, sizeof(*part));
	hv_strlcpy(part->name, name, sizeof(part->name));
	part->vp_count = 1;
	part->privileges = VNR_PRIV_NONE;
	part->line = p->line;
	p->section = SECTION_PARTITION;
	return true;
}

static bool begin_root(struct parser *p, const char *arg)
{
	if (*arg)
		return fail(p, "[root] takes no name");
	if (p->cfg->root.present)
		return fail(p, "duplicate section [root]");
	p->cfg->root.present = true;
	p->cfg->root.line = p->line;
	p->section = SECTION_ROOT;
	return true;
}

/* line is "[...]" with comments and outer blanks removed. */
static bool parse_section(struct parser *p, char *line)
{
	char *close = line, *word, *arg;

	while (*close && *close != ']')
		close++;
	if (!*close)
		return fail(p, "missing ']' in section header");
	if (close[1])
		return fail(p, "unexpected text after ']'");
	*close = '\0';
	if (!finish_section(p))
		return false;
	p->section_line = p->line;
	p->seen = 0;
	word = trim(line + 1);
	for (arg = word; *arg && !is_blank(*arg); arg++)
		;
	if (*arg)
		*arg++ = '\0';
	arg = trim(arg);
	if (!strcmp(word, "partition"))
		return begin_partition(p, arg);
	if (!strcmp(word, "root"))
		return begin_root(p, arg);
	if (strcmp(word, "hypervisor") != 0)
		return fail(p, "unknown section [%s%s%s]", word,
			    *arg ? " " : "", arg);
	if (*arg)
		return fail(p, "[hypervisor] takes no name");
	if (p->cfg->hypervisor_line)
		return fail(p, "duplicate section [hypervisor]");
	p->cfg->hypervisor_line = p->line;
	p->section = SECTION_HYPERVISOR;
	return true;
}

static bool parse_assignment(struct parser *p, char *line)
{
	char *eq = line, *key, *value;
	const struct key *keys;
	size_t count, i;

	while (*eq && *eq != '=')
		eq++;
	if (!*eq)
		return fail(p, "expected 'key = value' or a [section] header");
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!*key)
		return fail(p, "missing key before '='");
	if (p->section == SECTION_NONE)
		return fail(p, "key '%s' outside of a section", key);
	keys = section_keys(p->section, &count);
	for (i = 0; i < count; i++)
		if (!strcmp(key, keys[i].name))
			break;
	if (i == count) {
		if (p->section == SECTION_HYPERVISOR)
			return fail(p, "unknown key '%s' in [hypervisor]", key);
		if (p->section == SECTION_ROOT)
			return fail(p, "unknown key '%s' in [root]", key);
		return fail(p, "unknown key '%s' in [partition %s]", key,
			    current(p)->name);
	}
	if ((p->seen & (1u << i)) && !keys[i].repeatable)
		return fail(p, "duplicate key '%s'", key);
	p->seen |= 1u << i;
	if (!*value && !keys[i].may_be_empty)
		return fail(p, "%s: empty value", key);
	return keys[i].set(p, value);
}

/* Copies one line out so that it can be cut up and NUL-terminated. */
static bool parse_line(struct parser *p, const char *text, size_t n)
{
	char buf[HV_CONFIG_LINE_MAX + 1], *line;
	size_t i;

	if (n && text[n - 1] == '\r')
		n--;
	if (n > HV_CONFIG_LINE_MAX)
		return fail(p, "line too long (max %u characters)",
			    HV_CONFIG_LINE_MAX);
	for (i = 0; i < n; i++) {
		u8 c = (u8)text[i];

		if (c == 0)
			return fail(p, "NUL byte in line");
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(p, "control character 0x%02x in line", c);
	}
	/* A '#' always starts a comment, even inside a value. */
	for (i = 0; i < n && text[i] != '#'; i++)
		buf[i] = text[i];
	buf[i] = '\0';
	line = trim(buf);
	if (!*line)
		return true;
	if (*line == '[')
		return parse_section(p, line);
	return parse_assignment(p, line);
}

/*
 * Root mode runs no configured partition: the root creates its children.
 * Without [root] at least one partition is needed.  The hypervisor's UART
 * is COM1 by default only without a root, which owns every device.
 */
static bool check_mode(struct parser *p)
{
	struct hv_config *cfg = p->cfg;

	if (cfg->root.present && cfg->partition_count)
		return fail(p, "[root] and [partition] sections cannot be "
			       "combined: the root creates its own partitions");
	if (!cfg->root.present && cfg->partition_count == 0)
		return fail(p, "no partition defined (at least one "
			       "[partition NAME] section, or [root], is "
			       "required)");
	if (!cfg->serial_set && !cfg->root.present)
		cfg->serial_port = HV_CONFIG_SERIAL_DEFAULT;
	return true;
}

static void set_defaults(struct hv_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeslice_ms = HV_CONFIG_TIMESLICE_DEFAULT;
}

bool hv_config_parse(const char *text, size_t len, const char *filename,
		     struct hv_config *cfg, char *err, size_t err_size)
{
	struct parser p = {
		.cfg = cfg,
		.filename = filename ? filename : "config",
		.err = err,
		.err_size = err_size,
	};
	size_t pos = 0;

	if (err && err_size)
		err[0] = '\0';
	set_defaults(cfg);
	/* Some Windows editors start the file with a UTF-8 byte order mark. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3;
	while (pos < len) {
		size_t end = pos;

		while (end < len && text[end] != '\n')
			end++;
		p.line++;
		if (!parse_line(&p, text + pos, end - pos))
			return false;
		pos = end + 1;
	}
	if (!finish_section(&p))
		return false;
	return check_mode(&p) && check_connections(&p);
}
