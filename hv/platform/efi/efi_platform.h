/* SPDX-License-Identifier: MIT */
/* The UEFI platform layer's own interfaces between its files. */
#ifndef EFI_PLATFORM_H
#define EFI_PLATFORM_H

#include <efi.h>

#include <hv/boot.h>

#define EFI_HV_STACK_SIZE KiB(64)
#define EFI_HV_POOL_SIZE  MiB(16)

/*
 * What efi_main_relocated returns in the root (in the image the firmware
 * loaded) once the hypervisor runs under it; no firmware status has
 * these bits.
 */
#define EFI_ROOT_STARTED 0x56454E4545520000ull

/* The hypervisor's one reservation: its image copy, stack and pool. */
struct efi_reservation {
	u64 base, size;
	u64 image_size;	    /* the copy of hv.efi at base */
	u64 original_image; /* where the firmware loaded hv.efi */
};

/* What the root's side needs to start the root's kernel. */
struct efi_root_start {
	EFI_DEVICE_PATH *kernel;
	CHAR16 *load_options;
	UINT32 load_options_size; /* bytes, with the final NUL */
};

/* CPUs the firmware's ACPI tables list, and how many the root cannot see. */
struct efi_cpu_count {
	u32 total, withheld;
};

/*
 * Root mode: hides every CPU but the boot CPU from the root in the ACPI
 * MADT (acpi_root.c) and counts them; EFI_NOT_FOUND without a MADT.
 */
EFI_STATUS efi_withhold_other_cpus(EFI_SYSTEM_TABLE *st,
				   struct efi_cpu_count *n);
/* The FADT's PM1a control port, 0 when it has none (hardware-reduced). */
u16 efi_acpi_pm1a_control_port(EFI_SYSTEM_TABLE *st);

typedef u64 hv_resumer_fn(hv_resumable_fn *fn, void *a0, void *a1, void *a2,
			  void *a3);

/*
 * Copies hv.efi into a new reservation, relocates the copy and runs
 * efi_main_relocated in it.  Returns what that returns: an error before
 * the hand-over, or (root mode, in the root) EFI_ROOT_STARTED with *start
 * filled in.
 */
EFI_STATUS efi_run_relocated(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab,
			     struct efi_root_start *start);
/*
 * The hypervisor's UEFI entry in its copy: (EFI_HANDLE, EFI_SYSTEM_TABLE *,
 * struct efi_reservation *, struct efi_root_start *).  Leaves the firmware
 * (configured partitions) or takes the CPU over under it (root mode), and
 * returns only on an error before that.
 */
u64 efi_main_relocated(void *image, void *systab, void *reservation,
		       void *start);

/*
 * Checks that the root's kernel (and initrd) exist on the boot device and
 * fills *start: the kernel's device path, and its load options, "initrd=
 * <initrd> <cmdline>".  Runs in the hypervisor's copy, before the take-over;
 * what it allocates is boot-services memory the root's kernel may reuse.
 */
EFI_STATUS root_loader_prepare(EFI_LOADED_IMAGE *loaded,
			       const struct hv_root_config *root,
			       struct efi_root_start *start);
/*
 * The root's first steps, in the image the firmware loaded, with the
 * firmware now a partition: loads and starts the root's kernel as any EFI
 * program.  Returns only if the kernel could not be started or returned.
 */
EFI_STATUS root_loader_start(EFI_HANDLE image,
			     const struct efi_root_start *start);

#endif /* EFI_PLATFORM_H */
