/* SPDX-License-Identifier: MIT */
/*
 * What the platform layer hands the core after it has read the
 * configuration and the images and left the firmware.
 */
#ifndef HV_BOOT_H
#define HV_BOOT_H

#include <hv/config.h>
#include <libvnr/elf.h>
#include <libvnr/linux_boot.h>

struct hv_boot_partition {
	const struct hv_partition_config *cfg;
	const void *image; /* the ELF file or the bzImage, validated */
	size_t image_len;
	struct vnr_elf_image elf;  /* cfg->image: what the ELF file says */
	struct vnr_bzimage kernel; /* cfg->kernel: what the bzImage says */
	struct vnr_linux_layout kernel_layout; /* and where it all goes */
	const void *initrd; /* cfg->initrd's bytes, or NULL */
	size_t initrd_len;
	void *ram; /* cfg->memory_bytes, 2 MiB aligned */
};

/* Root mode: RAM the firmware's memory map lists (merged, sorted). */
#define HV_ROOT_RAM_RANGES 64

struct hv_ram_range {
	u64 base, size;
};

struct hv_boot_info {
	const struct hv_config *cfg;
	struct hv_boot_partition parts[HV_MAX_PARTITIONS];
	void *pool; /* the hypervisor's page pool */
	u64 pool_size;
	u64 tsc_hz;
	u64 wall_clock_s;   /* the firmware's time of day (UTC), 0: unknown */
	u64 wall_clock_tsc; /* the TSC when it was read */
	u64 phys_top;	    /* highest physical address to identity-map */
	u64 image_base;	    /* where the firmware loaded hv.efi */
	u64 image_size;	    /* bytes of hv.efi in memory */
	u64 stack_base; /* the hypervisor stack arch_enter_hypervisor uses */
	u64 stack_size;
	/* All of the hypervisor's memory (image, stack, pool): never the
	 * root's. */
	u64 reserved_base;
	u64 reserved_size;
	u64 root_resume_status; /* root mode: what the resumed call returns */
	u32 cpus;		/* root mode: the CPUs the firmware lists */
	u32 cpus_withheld;	/* root mode: those the root cannot see */
	u16 acpi_pm1a_control;	/* root mode: where it powers off, or 0 */
	u64 loader_image_base;	/* root mode: the image the firmware loaded */
	u32 root_ram_count;
	struct hv_ram_range root_ram[HV_ROOT_RAM_RANGES];
};

#define HV_BOOT_REGION_SIZE ((u64)VNR_BOOT_REGION_SIZE)

/*
 * Checks a partition's image with vnr_elf_check() for RAM whose loadable
 * range ends at load_limit and fills *img; on failure writes the one-line
 * reason into err (which may be NULL) and returns false.
 */
bool boot_check_image(const void *data, size_t len, u64 load_limit,
		      struct vnr_elf_image *img, char *err, size_t err_size);
/*
 * Checks cfg's kernel [data, data + len), with an initrd of initrd_len
 * bytes and cfg's command line, for cfg's memory (the Linux boot protocol
 * of docs/spec/boot-protocol.md), and fills *img and where everything goes
 * in *layout; on failure writes the one-line reason into err (which may
 * be NULL) and returns false.
 */
bool boot_check_kernel(const struct hv_partition_config *cfg, const void *data,
		       size_t len, u64 initrd_len, struct vnr_bzimage *img,
		       struct vnr_linux_layout *layout, char *err,
		       size_t err_size);
/* Builds partition p from its configuration and image (boot protocol). */
int boot_build_partition(const struct hv_boot_partition *bp);
/* Wires the configured connections between built partitions, starts them. */
void boot_connect_and_start(const struct hv_config *cfg);

/* The core's entry after the platform left the firmware. Never returns. */
__attribute__((noreturn)) void hv_main(struct hv_boot_info *bi);

/* Arch setup the core triggers from hv_main: CPU tables, timer, vendor. */
int arch_init(const struct hv_boot_info *bi);

/* The platform's last step: switch to the hypervisor stack, run hv_main. */
__attribute__((noreturn)) void arch_enter_hypervisor(struct hv_boot_info *bi,
						     void *stack_top);

/* Root mode: builds the root partition from the CPU and runs it. */
__attribute__((noreturn)) void root_main(struct hv_boot_info *bi);

/*
 * Root mode, in the root: the root's loader calls it once boot services
 * have ended (root_resume.S).  Its CPUID, at a place the hypervisor knows
 * in the loader's image, is the notice that the firmware has parked the
 * other CPUs: from then on the root may not start them.
 */
void arch_root_boot_services_ended(void);

/* A function arch_call_resumable can call, with four pointer arguments. */
typedef u64 hv_resumable_fn(void *a0, void *a1, void *a2, void *a3);
/*
 * Returns fn(a0, a1, a2, a3), having recorded where its caller resumes:
 * in root mode the root partition's first VP starts with the CPU's state
 * as the hypervisor found it and returns from this call once more, with
 * hv_boot_info.root_resume_status as the result.
 */
u64 arch_call_resumable(hv_resumable_fn *fn, void *a0, void *a1, void *a2,
			void *a3);

/* Why this CPU cannot run Veneer (checked before leaving firmware), or NULL. */
const char *arch_unsupported(void);

#endif /* HV_BOOT_H */
