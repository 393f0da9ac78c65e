// SPDX-License-Identifier: MIT
/*
 * Partition files: the hypervisor's own veneer.cfg parser
 * (hv/core/config.c) reads them, so a [partition] section means the same
 * to veneerctl as to hv.efi; what a partition of the root cannot have yet
 * is refused here, naming the section's line.
 */
#include "veneerctl.h"

#include <errno.h>
#include <hv/config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Partition files are small: a bigger one is a mistake, not a config. */
#define CONFIG_FILE_MAX (64 * 1024)

/* A regular file only: opening a FIFO must not hang (O_NONBLOCK). */
static FILE *open_regular(const char *path, char *err, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	FILE *f;

	if (fd < 0) {
		ctl_fail(err, size, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		ctl_fail(err, size, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "rb");
	if (!f) {
		ctl_fail(err, size, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

static char *read_text(const char *path, size_t *len, char *err, size_t size)
{
	FILE *f = open_regular(path, err, size);
	char *text;

	if (!f)
		return NULL;
	text = malloc(CONFIG_FILE_MAX + 1);
	*len = text ? fread(text, 1, CONFIG_FILE_MAX + 1, f) : 0;
	if (text && ferror(f))
		ctl_fail(err, size, "%s: %s", path, strerror(errno));
	else if (text && *len > CONFIG_FILE_MAX)
		ctl_fail(err, size, "%s: larger than %d bytes", path,
			 CONFIG_FILE_MAX);
	else if (!text)
		ctl_fail(err, size, "%s: out of memory", path);
	fclose(f);
	if (err[0]) {
		free(text);
		return NULL;
	}
	return text;
}

/* What veneer.cfg allows but a partition of the root cannot have yet. */
static int check_root_child(const char *path, const struct hv_config *hc,
			    char *err, size_t size)
{
	const struct hv_partition_config *p = &hc->partitions[0];
	const vnr_u64 parent_only =
		VNR_PRIV_MASK(CREATE_PARTITIONS) | VNR_PRIV_MASK(MANAGE_MEMORY);

	if (hc->hypervisor_line)
		return ctl_fail(
			err, size,
			"%s:%u: [hypervisor] belongs in veneer.cfg, not "
			"in a partition file",
			path, hc->hypervisor_line);
	if (hc->root.present)
		return ctl_fail(err, size,
				"%s:%u: [root] belongs in veneer.cfg, not in a "
				"partition file",
				path, hc->root.line);
	if (hc->partition_count != 1)
		return ctl_fail(err, size,
				"%s:%u: a partition file has one [partition] "
				"section, this one has %u",
				path, hc->partitions[1].line,
				hc->partition_count);
	if (p->root)
		return ctl_fail(err, size,
				"%s:%u: root: a partition of the root "
				"cannot be the root",
				path, p->line);
	if (p->privileges & parent_only)
		return ctl_fail(err, size,
				"%s:%u: privileges: create_partitions and "
				"manage_memory are not given to partitions of "
				"the root",
				path, p->line);
	if (p->port_count || p->connect_count || p->io_last)
		return ctl_fail(err, size,
				"%s:%u: port, connect and io_ports are not "
				"supported for partitions of the root",
				path, p->line);
	return 0;
}

/*
 * A relative path of key is relative to the directory of the file; ""
 * stays "" (the key was not given).
 */
static int resolve(const char *path, const char *key, const char *value,
		   char out[PATH_MAX], const struct hv_config *hc, char *err,
		   size_t size)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path) : 1;
	int n;

	if (!value[0] || value[0] == '/' || !slash)
		n = snprintf(out, PATH_MAX, "%s", value);
	else
		n = snprintf(out, PATH_MAX, "%.*s/%s", dir_len, path, value);
	if (n < 0 || n >= PATH_MAX)
		return ctl_fail(err, size, "%s:%u: %s: path too long", path,
				hc->partitions[0].line, key);
	return 0;
}

int ctl_config_load(const char *path, struct ctl_config *cfg, char *err,
		    size_t err_size)
{
	struct hv_config *hc = calloc(1, sizeof(*hc));
	const struct hv_partition_config *p;
	size_t len = 0;
	char *text;
	int r = -1;

	err[0] = '\0';
	if (!hc)
		return ctl_fail(err, err_size, "%s: out of memory", path);
	text = read_text(path, &len, err, err_size);
	if (text && !hv_config_parse(text, len, path, hc, err, err_size))
		goto out;
	if (!text || check_root_child(path, hc, err, err_size))
		goto out;
	p = &hc->partitions[0];
	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->name, p->name, sizeof(cfg->name));
	cfg->memory_size = p->memory_bytes;
	cfg->vp_count = p->vp_count;
	cfg->privileges = p->privileges;
	memcpy(cfg->cmdline, p->cmdline, sizeof(cfg->cmdline));
	r = resolve(path, "image", p->image, cfg->image, hc, err, err_size);
	if (!r)
		r = resolve(path, "kernel", p->kernel, cfg->kernel, hc, err,
			    err_size);
	if (!r)
		r = resolve(path, "initrd", p->initrd, cfg->initrd, hc, err,
			    err_size);
	_Static_assert(CTL_DISKS_MAX == HV_CONFIG_DISKS_MAX, "disks");
	for (u32 i = 0; !r && i < p->disk_count; i++) {
		r = resolve(path, "disk", p->disks[i].path, cfg->disks[i].path,
			    hc, err, err_size);
		cfg->disks[i].read_only = p->disks[i].read_only;
		cfg->disk_count = i + 1;
	}
out:
	free(text);
	free(hc);
	return r;
}
