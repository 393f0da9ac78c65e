/* SPDX-License-Identifier: MIT */
/*
 * The boot configuration, \EFI\veneer\veneer.cfg on the ESP.  The format is
 * described for operators in docs/configuration.md.
 */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include <hv/limits.h>
#include <hv/types.h>

#define HV_CONFIG_LINE_MAX	    255
#define HV_CONFIG_IMAGE_MAX	    128 /* including the NUL */
#define HV_CONFIG_TIMESLICE_DEFAULT 10
#define HV_CONFIG_TIMESLICE_MAX	    1000
#define HV_CONFIG_MEMORY_ALIGN	    MiB(2)
#define HV_CONFIG_MEMORY_MIN	    MiB(2)
#define HV_CONFIG_MEMORY_MAX	    GiB(4)
/* A kernel's RAM ends below its local APIC's page (pc-platform.md). */
#define HV_CONFIG_KERNEL_MEMORY_MAX 0xFEE00000ull
#define HV_CONFIG_ROOT_CMDLINE_MAX  256	  /* including the NUL */
#define HV_CONFIG_SERIAL_DEFAULT    0x3F8 /* COM1 */

enum hv_port_kind {
	HV_PORT_NONE,
	HV_PORT_MESSAGE,
	HV_PORT_EVENT,
};

/* port = <id> message sint=<n> | port = <id> event sint=<n> flags=<count> */
struct hv_port_config {
	u32 id;
	enum hv_port_kind kind;
	u32 sint;
	u32 flag_count;
};

/* connect = <id> <partition>:<port id> */
struct hv_connect_config {
	u32 id;
	char target[VNR_NAME_MAX];
	u32 port_id;
	u32 line; /* for errors found once the whole file is read */
};

/* disk = PATH [ro]: served by veneerctl in a Linux root (docs/veneerctl.md). */
#define HV_CONFIG_DISKS_MAX 4
struct hv_disk_config {
	char path[HV_CONFIG_IMAGE_MAX];
	bool read_only;
};

struct hv_partition_config {
	char name[VNR_NAME_MAX];
	/* ESP paths: an image (e.g. \EFI\veneer\a.elf) or a kernel, not
	 * both; "" where not given.  initrd only goes with kernel. */
	char image[HV_CONFIG_IMAGE_MAX];
	char kernel[HV_CONFIG_IMAGE_MAX]; /* a Linux bzImage */
	char initrd[HV_CONFIG_IMAGE_MAX];
	u64 memory_bytes;
	u32 vp_count;
	u64 privileges; /* VNR_PRIV_MASK() bits */
	char cmdline[VNR_CMDLINE_MAX];
	u32 port_count;
	struct hv_port_config ports[HV_MAX_PORTS];
	u32 connect_count;
	struct hv_connect_config connects[HV_MAX_CONNECTIONS];
	u16 io_first, io_last; /* io_ports = a-b; io_last == 0: none */
	u32 disk_count;
	struct hv_disk_config disks[HV_CONFIG_DISKS_MAX];
	bool root; /* root = yes: every privilege (at most one partition) */
	u32 line;  /* of the section header, for checks of other readers */
};

/*
 * [root]: the operating system that runs as the root partition and owns
 * the machine (root mode).  Paths are on the ESP hv.efi came from.
 */
struct hv_root_config {
	bool present;
	char kernel[HV_CONFIG_IMAGE_MAX]; /* an EFI program, e.g. a bzImage */
	char initrd[HV_CONFIG_IMAGE_MAX]; /* "" for none */
	char cmdline[HV_CONFIG_ROOT_CMDLINE_MAX];
	u32 line; /* of the section header */
};

struct hv_config {
	u32 timeslice_ms;
	bool serial_set; /* serial = ... given (else the mode's default) */
	u16 serial_port; /* the hypervisor's UART, 0 for none */
	bool has_debug_exit;
	u16 debug_exit_port;
	bool log_exits;
	bool crash_test;     /* test benches: fault on purpose after start-up */
	u32 hypervisor_line; /* of [hypervisor], 0: the file has none */
	u32 partition_count; /* at least 1 unless root.present */
	struct hv_partition_config partitions[HV_MAX_PARTITIONS];
	struct hv_root_config root;
};

/*
 * Parses text (len bytes, not necessarily NUL-terminated) into cfg, in the
 * order the partitions appear in the file.  On error returns false and
 * writes "<filename>:<line>: <problem>" into err (which may be NULL);
 * cfg is then partly filled and must not be used.
 */
bool hv_config_parse(const char *text, size_t len, const char *filename,
		     struct hv_config *cfg, char *err, size_t err_size);

#endif /* HV_CONFIG_H */
