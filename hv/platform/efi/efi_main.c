/* SPDX-License-Identifier: MIT */
/*
 * The UEFI platform layer: the only code that sees gnu-efi.  It checks the
 * CPU, reads the configuration and the partition images from the ESP,
 * allocates all memory the hypervisor will ever use and hands over to the
 * core: with configured partitions after leaving the firmware's boot
 * services, in root mode while the firmware runs, which goes on under the
 * hypervisor as the root partition (root_loader.c).  Every error before
 * the hand-over is reported on the firmware console and returns to the
 * firmware.
 */
#include <efi.h>
#include <efilib.h>

#include <hv/boot.h>
#include <hv/platform.h>
#include <hv/string.h>
#include "efi_files.h"
#include "efi_platform.h"

#define CONFIG_PATH    "\\EFI\\veneer\\veneer.cfg"
#define CALIBRATION_US 50000

static struct hv_config config;
static struct hv_boot_info boot_info;

static void *allocate_pages(u64 bytes, u64 align)
{
	EFI_PHYSICAL_ADDRESS addr = 0;
	UINTN pages = (bytes + align) / EFI_PAGE_SIZE;

	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
					EfiLoaderData, pages, &addr)))
		return NULL;
	return (void *)(uintptr_t)ALIGN_UP(addr, align);
}

static u64 measure_tsc_hz(void)
{
	u64 start, end;

	start = __builtin_ia32_rdtsc();
	uefi_call_wrapper(BS->Stall, 1, CALIBRATION_US);
	end = __builtin_ia32_rdtsc();
	return (end - start) * (1000000 / CALIBRATION_US);
}

/* A Veneer image, checked against the partition's memory. */
static EFI_STATUS read_image(EFI_FILE_HANDLE root, struct hv_boot_partition *bp)
{
	const struct hv_partition_config *pc = bp->cfg;
	char err[160];
	void *data;
	UINTN len;

	if (efi_read_file(root, pc->image, &data, &len)) {
		Print(L"veneer: partition '%a': cannot read image %a\n",
		      pc->name, pc->image);
		return EFI_NOT_FOUND;
	}
	if (!boot_check_image(data, len, pc->memory_bytes - HV_BOOT_REGION_SIZE,
			      &bp->elf, err, sizeof(err))) {
		Print(L"veneer: partition '%a': image %a: %a\n", pc->name,
		      pc->image, err);
		return EFI_LOAD_ERROR;
	}
	bp->image = data;
	bp->image_len = len;
	return EFI_SUCCESS;
}

/* A Linux kernel and its initrd, checked together for the memory. */
static EFI_STATUS read_kernel(EFI_FILE_HANDLE root,
			      struct hv_boot_partition *bp)
{
	const struct hv_partition_config *pc = bp->cfg;
	void *data, *initrd = NULL;
	UINTN len, initrd_len = 0;
	char err[160];

	if (efi_read_file(root, pc->kernel, &data, &len)) {
		Print(L"veneer: partition '%a': cannot read kernel %a\n",
		      pc->name, pc->kernel);
		return EFI_NOT_FOUND;
	}
	if (pc->initrd[0] &&
	    efi_read_file(root, pc->initrd, &initrd, &initrd_len)) {
		Print(L"veneer: partition '%a': cannot read initrd %a\n",
		      pc->name, pc->initrd);
		return EFI_NOT_FOUND;
	}
	if (!boot_check_kernel(pc, data, len, initrd_len, &bp->kernel,
			       &bp->kernel_layout, err, sizeof(err))) {
		Print(L"veneer: partition '%a': kernel %a: %a\n", pc->name,
		      pc->kernel, err);
		return EFI_LOAD_ERROR;
	}
	bp->image = data;
	bp->image_len = len;
	bp->initrd = initrd;
	bp->initrd_len = initrd_len;
	return EFI_SUCCESS;
}

static EFI_STATUS load_partition(EFI_FILE_HANDLE root, u32 i)
{
	struct hv_boot_partition *bp = &boot_info.parts[i];
	const struct hv_partition_config *pc = &config.partitions[i];
	EFI_STATUS st;

	bp->cfg = pc;
	st = pc->kernel[0] ? read_kernel(root, bp) : read_image(root, bp);
	if (EFI_ERROR(st))
		return st;
	bp->ram = allocate_pages(pc->memory_bytes, MiB(2));
	if (!bp->ram) {
		Print(L"veneer: partition '%a': cannot allocate %lu MiB\n",
		      pc->name, pc->memory_bytes >> 20);
		return EFI_OUT_OF_RESOURCES;
	}
	return EFI_SUCCESS;
}

static bool leap_year(u32 y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Seconds since 1970 (UTC) of the firmware's clock, or 0 if it has none
 * or says something impossible.  A time zone, when given, is the
 * minutes UTC is ahead of the local time (UEFI: local = UTC - zone).
 */
static u64 firmware_unix_time(void)
{
	static const u16 days_before[12] = {0,	 31,  59,  90,	120, 151,
					    181, 212, 243, 273, 304, 334};
	EFI_TIME t;
	s64 s;
	u64 days = 0;

	if (EFI_ERROR(uefi_call_wrapper(RT->GetTime, 2, &t, NULL)) ||
	    t.Year < 1970 || t.Year > 2399 || t.Month < 1 || t.Month > 12 ||
	    t.Day < 1 || t.Day > 31 || t.Hour > 23 || t.Minute > 59 ||
	    t.Second > 59)
		return 0;
	for (u32 y = 1970; y < t.Year; y++)
		days += leap_year(y) ? 366 : 365;
	days += days_before[t.Month - 1] + t.Day - 1u;
	if (t.Month > 2 && leap_year(t.Year))
		days++;
	s = (s64)(days * 86400 + t.Hour * 3600u + t.Minute * 60u + t.Second);
	if (t.TimeZone != EFI_UNSPECIFIED_TIMEZONE && t.TimeZone >= -1440 &&
	    t.TimeZone <= 1440)
		s += (s64)t.TimeZone * 60;
	return s > 0 ? (u64)s : 0;
}

static EFI_STATUS load_configuration(EFI_FILE_HANDLE root)
{
	char err[160];
	void *text;
	UINTN len;

	if (efi_read_file(root, CONFIG_PATH, &text, &len)) {
		Print(L"veneer: cannot read %a\n", CONFIG_PATH);
		return EFI_NOT_FOUND;
	}
	if (!hv_config_parse(text, len, CONFIG_PATH, &config, err,
			     sizeof(err))) {
		Print(L"veneer: configuration error: %a\n", err);
		return EFI_INVALID_PARAMETER;
	}
	for (u32 i = 0; i < config.partition_count; i++)
		if (config.partitions[i].disk_count) {
			Print(L"veneer: configuration error: %a:%u: disk: "
			      L"served by veneerctl in a Linux root; here a "
			      L"block service partition serves disks\n",
			      CONFIG_PATH, config.partitions[i].line);
			return EFI_INVALID_PARAMETER;
		}
	boot_info.cfg = &config;
	return EFI_SUCCESS;
}

/* Top of the physical address space the firmware describes. */
static u64 memory_map_top(EFI_MEMORY_DESCRIPTOR *map, UINTN size,
			  UINTN desc_size)
{
	u64 top = 0;

	for (UINTN off = 0; off + desc_size <= size; off += desc_size) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((u8 *)map + off);
		u64 end = d->PhysicalStart + d->NumberOfPages * EFI_PAGE_SIZE;

		top = MAX(top, end);
	}
	return top;
}

/* The memory map changes while it is fetched; retry until it is stable. */
static EFI_STATUS exit_boot_services(EFI_HANDLE image)
{
	for (int attempt = 0; attempt < 8; attempt++) {
		UINTN entries, key, desc_size;
		UINT32 desc_version;
		EFI_MEMORY_DESCRIPTOR *map;

		map = LibMemoryMap(&entries, &key, &desc_size, &desc_version);
		if (!map)
			return EFI_OUT_OF_RESOURCES;
		boot_info.phys_top =
			memory_map_top(map, entries * desc_size, desc_size);
		if (!EFI_ERROR(uefi_call_wrapper(BS->ExitBootServices, 2, image,
						 key)))
			return EFI_SUCCESS;
	}
	return EFI_ABORTED;
}

/* The reservation holds the image copy, then the stack, then the pool. */
static void use_reservation(const struct efi_reservation *r)
{
	boot_info.loader_image_base = r->original_image;
	boot_info.reserved_base = r->base;
	boot_info.reserved_size = r->size;
	boot_info.image_base = r->base;
	boot_info.image_size = r->image_size;
	boot_info.stack_base = r->base + r->image_size;
	boot_info.stack_size = EFI_HV_STACK_SIZE;
	boot_info.pool =
		(void *)(uintptr_t)(boot_info.stack_base + EFI_HV_STACK_SIZE);
	boot_info.pool_size = EFI_HV_POOL_SIZE;
}

static EFI_STATUS prepare(EFI_LOADED_IMAGE *loaded)
{
	EFI_FILE_HANDLE root = LibOpenRoot(loaded->DeviceHandle);
	EFI_STATUS st;

	if (!root) {
		Print(L"veneer: cannot open the boot file system\n");
		return EFI_NOT_FOUND;
	}
	st = load_configuration(root);
	for (u32 i = 0; !EFI_ERROR(st) && i < config.partition_count; i++)
		st = load_partition(root, i);
	if (EFI_ERROR(st))
		return st;
	boot_info.tsc_hz = measure_tsc_hz();
	boot_info.wall_clock_s = firmware_unix_time();
	boot_info.wall_clock_tsc = __builtin_ia32_rdtsc();
	return EFI_SUCCESS;
}

/* Memory the root may use as RAM: never MMIO, never reserved memory. */
static bool is_ram(UINT32 type)
{
	switch (type) {
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiRuntimeServicesCode:
	case EfiRuntimeServicesData:
	case EfiConventionalMemory:
	case EfiACPIReclaimMemory:
	case EfiACPIMemoryNVS:
		return true;
	}
	return false;
}

/*
 * Adds [base, base + len) to boot_info.root_ram, kept sorted with ranges
 * that touch merged: the firmware's map need not be in address order, and
 * a buffer of the root may span ranges of different types.
 */
static EFI_STATUS add_root_ram(u64 base, u64 len)
{
	struct hv_ram_range *r = boot_info.root_ram;
	u32 *n = &boot_info.root_ram_count, i = 0;
	u64 hi = base + len;

	while (i < *n && r[i].base + r[i].size < base)
		i++;
	if (i < *n && r[i].base <= hi) {
		base = MIN(base, r[i].base);
		while (i + 1 < *n &&
		       r[i + 1].base <= MAX(hi, r[i].base + r[i].size)) {
			r[i].size = MAX(r[i].base + r[i].size,
					r[i + 1].base + r[i + 1].size) -
				    r[i].base;
			for (u32 j = i + 1; j + 1 < *n; j++)
				r[j] = r[j + 1];
			(*n)--;
		}
		hi = MAX(hi, r[i].base + r[i].size);
		r[i] = (struct hv_ram_range){base, hi - base};
		return EFI_SUCCESS;
	}
	if (*n == HV_ROOT_RAM_RANGES)
		return EFI_BUFFER_TOO_SMALL;
	for (u32 j = *n; j > i; j--)
		r[j] = r[j - 1];
	r[i] = (struct hv_ram_range){base, len};
	(*n)++;
	return EFI_SUCCESS;
}

/* The map's RAM into boot_info.root_ram. */
static EFI_STATUS collect_root_ram(EFI_MEMORY_DESCRIPTOR *map, UINTN size,
				   UINTN desc_size)
{
	boot_info.root_ram_count = 0;
	for (UINTN off = 0; off + desc_size <= size; off += desc_size) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((u8 *)map + off);
		u64 len = d->NumberOfPages * PAGE_SIZE;
		EFI_STATUS st;

		if (!is_ram(d->Type) || !len)
			continue;
		st = add_root_ram(d->PhysicalStart, len);
		if (EFI_ERROR(st))
			return st;
	}
	return EFI_SUCCESS;
}

/*
 * Root mode: the firmware keeps its boot services; the memory map is read
 * for its top and its RAM.
 */
static EFI_STATUS take_over(EFI_LOADED_IMAGE *loaded,
			    struct efi_root_start *start)
{
	UINTN entries, key, desc_size;
	EFI_MEMORY_DESCRIPTOR *map;
	UINT32 desc_version;
	EFI_STATUS st;

	struct efi_cpu_count cpus;

	st = root_loader_prepare(loaded, &config.root, start);
	if (EFI_ERROR(st))
		return st;
	if (EFI_ERROR(efi_withhold_other_cpus(ST, &cpus))) {
		Print(L"veneer: root mode needs the firmware's ACPI MADT\n");
		return EFI_UNSUPPORTED;
	}
	boot_info.cpus = cpus.total;
	boot_info.cpus_withheld = cpus.withheld;
	boot_info.acpi_pm1a_control = efi_acpi_pm1a_control_port(ST);
	map = LibMemoryMap(&entries, &key, &desc_size, &desc_version);
	if (!map)
		return EFI_OUT_OF_RESOURCES;
	boot_info.phys_top =
		memory_map_top(map, entries * desc_size, desc_size);
	st = collect_root_ram(map, entries * desc_size, desc_size);
	FreePool(map);
	if (EFI_ERROR(st)) {
		Print(L"veneer: the memory map has more than %d RAM ranges\n",
		      HV_ROOT_RAM_RANGES);
		return st;
	}
	boot_info.root_resume_status = EFI_ROOT_STARTED;
	Print(L"veneer: root mode: the firmware goes on as the root "
	      "partition, starting %a\n",
	      config.root.kernel);
	arch_enter_hypervisor(&boot_info,
			      (void *)(uintptr_t)(boot_info.stack_base +
						  boot_info.stack_size));
}

/*
 * The image's entry point, called by gnu-efi's start code with the image's
 * handle and the firmware's system table.  Everything runs in the
 * hypervisor's copy of the image (relocate.c); in root mode the firmware,
 * now the root partition, comes back here to start the root's kernel.
 * Returns to the firmware only on an error.
 */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct efi_root_start start = {0};
	EFI_STATUS st = efi_run_relocated(image, systab, &start);

	if (st != EFI_ROOT_STARTED)
		return st;
	InitializeLib(image, systab);
	return root_loader_start(image, &start);
}

u64 efi_main_relocated(void *image_, void *systab, void *reservation,
		       void *start)
{
	EFI_HANDLE image = image_;
	EFI_LOADED_IMAGE *loaded;
	const char *why;
	EFI_STATUS st;

	InitializeLib(image, systab);
	Print(L"Veneer hypervisor %d.%d\n", VNR_ABI_MAJOR, VNR_ABI_MINOR);
	why = arch_unsupported();
	if (why) {
		Print(L"veneer: cannot run on this machine: %a\n", why);
		return EFI_UNSUPPORTED;
	}
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image,
			       &LoadedImageProtocol, (void **)&loaded);
	if (EFI_ERROR(st))
		return st;
	use_reservation(reservation);
	st = prepare(loaded);
	if (EFI_ERROR(st))
		return st;
	if (config.root.present)
		return take_over(loaded, start);
	Print(L"veneer: %d partition(s) loaded, leaving the firmware\n",
	      config.partition_count);
	st = exit_boot_services(image);
	if (EFI_ERROR(st)) {
		Print(L"veneer: ExitBootServices failed: %r\n", st);
		return st;
	}
	arch_enter_hypervisor(&boot_info,
			      (void *)(uintptr_t)(boot_info.stack_base +
						  boot_info.stack_size));
}

void platform_power_off(void)
{
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0,
			  NULL);
	for (;;)
		__asm__ volatile("cli; hlt");
}
