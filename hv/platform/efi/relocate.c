/* SPDX-License-Identifier: MIT */
/*
 * hv.efi runs from a copy of itself in memory the firmware reports as
 * reserved (EfiReservedMemoryType), which no operating system started
 * later reuses: in root mode the root's kernel gets the machine's memory
 * map from the same firmware.  One reservation, 2 MiB aligned, holds the
 * copy, the hypervisor's stack and its page pool; nothing of the
 * hypervisor lives anywhere else once it runs.
 *
 * The image the firmware loaded stays as it is.  In root mode the firmware
 * goes on in it as the root partition (root_loader.c): that is why the
 * copy runs everything, and why it is made before the loaded image has
 * done anything but start.
 *
 * gnu-efi links hv.efi as a position-independent ELF object whose start
 * code applies its own R_X86_64_RELATIVE relocations; the copy gets the
 * same relocations, for its own address.
 */
#include <efi.h>
#include <efilib.h>

#include <hv/boot.h>
#include <hv/string.h>
#include "efi_platform.h"

#define DT_NULL		  0
#define DT_RELA		  7
#define DT_RELASZ	  8
#define DT_RELAENT	  9
#define R_X86_64_NONE	  0
#define R_X86_64_RELATIVE 8
#define RESERVATION_ALIGN MiB(2)

struct elf_dyn {
	s64 tag;
	u64 value;
};

struct elf_rela {
	u64 offset;
	u64 info;
	s64 addend;
};

/* Defined by gnu-efi's linker script and the linker. */
extern char ImageBase[];
extern struct elf_dyn _DYNAMIC[];

static EFI_STATUS relocate_copy(u8 *copy, u64 image_size)
{
	u64 rela = 0, size = 0, entry = sizeof(struct elf_rela);

	for (struct elf_dyn *d = _DYNAMIC; d->tag != DT_NULL; d++) {
		if (d->tag == DT_RELA)
			rela = d->value;
		else if (d->tag == DT_RELASZ)
			size = d->value;
		else if (d->tag == DT_RELAENT)
			entry = d->value;
	}
	for (u64 off = 0; off + entry <= size; off += entry) {
		const struct elf_rela *r = (void *)(copy + rela + off);
		u32 type = (u32)r->info;

		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE || r->offset + 8 > image_size)
			return EFI_LOAD_ERROR;
		*(u64 *)(copy + r->offset) = (u64)(uintptr_t)copy + r->addend;
	}
	return EFI_SUCCESS;
}

/* Frees the parts of [addr, addr + pages) outside [keep, keep + bytes). */
static void trim(EFI_BOOT_SERVICES *bs, u64 addr, u64 pages, u64 keep,
		 u64 bytes)
{
	u64 end = addr + pages * EFI_PAGE_SIZE;

	if (keep > addr)
		uefi_call_wrapper(bs->FreePages, 2, addr,
				  (keep - addr) / EFI_PAGE_SIZE);
	if (keep + bytes < end)
		uefi_call_wrapper(bs->FreePages, 2, keep + bytes,
				  (end - keep - bytes) / EFI_PAGE_SIZE);
}

static EFI_STATUS reserve(EFI_BOOT_SERVICES *bs, u64 bytes, u64 *base)
{
	UINTN pages = (bytes + RESERVATION_ALIGN) / EFI_PAGE_SIZE;
	EFI_PHYSICAL_ADDRESS addr = 0;
	EFI_STATUS st;

	st = uefi_call_wrapper(bs->AllocatePages, 4, AllocateAnyPages,
			       EfiReservedMemoryType, pages, &addr);
	if (EFI_ERROR(st))
		return st;
	*base = ALIGN_UP(addr, RESERVATION_ALIGN);
	trim(bs, addr, pages, *base, bytes);
	return EFI_SUCCESS;
}

EFI_STATUS efi_run_relocated(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab,
			     struct efi_root_start *start)
{
	EFI_BOOT_SERVICES *bs = systab->BootServices;
	EFI_GUID loaded_guid = LOADED_IMAGE_PROTOCOL;
	struct efi_reservation r;
	EFI_LOADED_IMAGE *loaded;
	hv_resumable_fn *entry;
	EFI_STATUS st;
	s64 delta;

	st = uefi_call_wrapper(bs->HandleProtocol, 3, image, &loaded_guid,
			       (void **)&loaded);
	if (EFI_ERROR(st))
		return st;
	r.image_size = ALIGN_UP(loaded->ImageSize, PAGE_SIZE);
	r.size = ALIGN_UP(r.image_size + EFI_HV_STACK_SIZE + EFI_HV_POOL_SIZE,
			  RESERVATION_ALIGN);
	st = reserve(bs, r.size, &r.base);
	if (EFI_ERROR(st))
		return st;
	memcpy((void *)(uintptr_t)r.base, ImageBase, loaded->ImageSize);
	memset((u8 *)(uintptr_t)r.base + loaded->ImageSize, 0,
	       r.size - loaded->ImageSize);
	st = relocate_copy((u8 *)(uintptr_t)r.base, loaded->ImageSize);
	if (EFI_ERROR(st))
		return st;
	r.original_image = (u64)(uintptr_t)ImageBase;
	delta = (s64)r.base - (s64)(uintptr_t)ImageBase;
	entry = (hv_resumable_fn *)((uintptr_t)efi_main_relocated + delta);
	return ((hv_resumer_fn *)((uintptr_t)arch_call_resumable + delta))(
		entry, image, systab, &r, start);
}
