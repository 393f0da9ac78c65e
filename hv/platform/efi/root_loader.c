/* SPDX-License-Identifier: MIT */
/*
 * Root mode: starting the root's kernel.  The hypervisor's copy checks the
 * files and prepares the start before it takes the CPU over; the firmware
 * then goes on, now as the root partition, in the image it loaded (the
 * hypervisor's copy is out of its reach) and starts the kernel as it
 * starts any EFI program.  A Linux kernel's EFI stub takes its command
 * line, and its initrd with "initrd=", from the load options; it leaves
 * the firmware's boot services itself, and the firmware's runtime services
 * are the root's to call, SetVirtualAddressMap included: the hypervisor
 * never calls the firmware again.  Its ExitBootServices is wrapped so that
 * the hypervisor learns when the firmware has parked the other CPUs.
 */
#include <efi.h>
#include <efilib.h>

#include <hv/format.h>
#include "efi_files.h"
#include "efi_platform.h"

#define OPTIONS_MAX (2 * HV_CONFIG_IMAGE_MAX + HV_CONFIG_ROOT_CMDLINE_MAX)

static bool check_file(EFI_FILE_HANDLE fs, const char *what, const char *path)
{
	if (efi_file_exists(fs, path))
		return true;
	Print(L"veneer: [root] %a: cannot find %a on the boot device\n", what,
	      path);
	return false;
}

static EFI_STATUS build_options(const struct hv_root_config *root,
				struct efi_root_start *start)
{
	char options[OPTIONS_MAX];
	int n;

	if (root->initrd[0])
		n = hv_snprintf(options, sizeof(options), "initrd=%s %s",
				root->initrd, root->cmdline);
	else
		n = hv_snprintf(options, sizeof(options), "%s", root->cmdline);
	if (n < 0 || (size_t)n >= sizeof(options))
		return EFI_BAD_BUFFER_SIZE;
	start->load_options = efi_char16_dup(options);
	start->load_options_size = (UINT32)(n + 1) * sizeof(CHAR16);
	return start->load_options ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
}

EFI_STATUS root_loader_prepare(EFI_LOADED_IMAGE *loaded,
			       const struct hv_root_config *root,
			       struct efi_root_start *start)
{
	EFI_FILE_HANDLE fs = LibOpenRoot(loaded->DeviceHandle);
	CHAR16 *kernel;

	if (!fs) {
		Print(L"veneer: cannot open the boot file system\n");
		return EFI_NOT_FOUND;
	}
	if (!check_file(fs, "kernel", root->kernel) ||
	    (root->initrd[0] && !check_file(fs, "initrd", root->initrd)))
		return EFI_NOT_FOUND;
	kernel = efi_char16_dup(root->kernel);
	if (!kernel)
		return EFI_OUT_OF_RESOURCES;
	start->kernel = FileDevicePath(loaded->DeviceHandle, kernel);
	FreePool(kernel);
	if (!start->kernel)
		return EFI_OUT_OF_RESOURCES;
	return build_options(root, start);
}

static EFI_EXIT_BOOT_SERVICES firmware_exit_boot_services;

/* The root's kernel leaves boot services through this; so does the notice. */
static EFI_STATUS EFIAPI exit_boot_services(EFI_HANDLE image, UINTN key)
{
	EFI_STATUS st =
		uefi_call_wrapper(firmware_exit_boot_services, 2, image, key);

	if (!EFI_ERROR(st))
		arch_root_boot_services_ended();
	return st;
}

/* The boot services table with its checksum recomputed, as the spec asks. */
static void hook_exit_boot_services(void)
{
	UINT32 crc = 0;

	firmware_exit_boot_services = BS->ExitBootServices;
	BS->ExitBootServices = exit_boot_services;
	BS->Hdr.CRC32 = 0;
	uefi_call_wrapper(BS->CalculateCrc32, 3, BS, BS->Hdr.HeaderSize, &crc);
	BS->Hdr.CRC32 = crc;
}

EFI_STATUS root_loader_start(EFI_HANDLE image,
			     const struct efi_root_start *start)
{
	EFI_LOADED_IMAGE *li;
	EFI_HANDLE kernel;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, start->kernel,
			       NULL, 0, &kernel);
	if (EFI_ERROR(st)) {
		Print(L"veneer: root: cannot load the kernel: %r\n", st);
		return st;
	}
	st = uefi_call_wrapper(BS->HandleProtocol, 3, kernel,
			       &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	li->LoadOptions = start->load_options;
	li->LoadOptionsSize = start->load_options_size;
	hook_exit_boot_services();
	st = uefi_call_wrapper(BS->StartImage, 3, kernel, NULL, NULL);
	Print(L"veneer: root: the kernel returned: %r\n", st);
	return st;
}
