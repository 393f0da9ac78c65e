/* SPDX-License-Identifier: MIT */
/* Reading files from the boot file system (the ESP). */
#include <efi.h>
#include <efilib.h>

#include "efi_files.h"

#define PATH_MAX_CHARS 256

static int to_char16(const char *path, CHAR16 *out)
{
	UINTN i;

	for (i = 0; path[i]; i++) {
		if (i + 1 == PATH_MAX_CHARS)
			return -1;
		out[i] = (CHAR16)(unsigned char)path[i];
	}
	out[i] = 0;
	return 0;
}

CHAR16 *efi_char16_dup(const char *s)
{
	UINTN n = 0;
	CHAR16 *w;

	while (s[n])
		n++;
	w = AllocatePool((n + 1) * sizeof(CHAR16));
	for (UINTN i = 0; w && i <= n; i++)
		w[i] = (CHAR16)(unsigned char)s[i];
	return w;
}

static EFI_FILE_HANDLE open_file(EFI_FILE_HANDLE root, const char *path)
{
	CHAR16 wpath[PATH_MAX_CHARS];
	EFI_FILE_HANDLE file;

	if (to_char16(path, wpath))
		return NULL;
	if (EFI_ERROR(uefi_call_wrapper(root->Open, 5, root, &file, wpath,
					EFI_FILE_MODE_READ, 0)))
		return NULL;
	return file;
}

bool efi_file_exists(EFI_FILE_HANDLE root, const char *path)
{
	EFI_FILE_HANDLE file = open_file(root, path);
	EFI_FILE_INFO *info;
	bool regular;

	if (!file)
		return false;
	info = LibFileInfo(file);
	regular = info && !(info->Attribute & EFI_FILE_DIRECTORY);
	if (info)
		FreePool(info);
	uefi_call_wrapper(file->Close, 1, file);
	return regular;
}

int efi_read_file(EFI_FILE_HANDLE root, const char *path, void **data,
		  UINTN *len)
{
	EFI_FILE_HANDLE file = open_file(root, path);
	EFI_FILE_INFO *info;
	UINTN size;
	void *buf;

	if (!file)
		return -1;
	info = LibFileInfo(file);
	if (!info || (info->Attribute & EFI_FILE_DIRECTORY)) {
		uefi_call_wrapper(file->Close, 1, file);
		return -1;
	}
	size = info->FileSize;
	FreePool(info);
	buf = AllocatePool(size ? size : 1);
	if (!buf ||
	    EFI_ERROR(uefi_call_wrapper(file->Read, 3, file, &size, buf))) {
		uefi_call_wrapper(file->Close, 1, file);
		return -1;
	}
	uefi_call_wrapper(file->Close, 1, file);
	*data = buf;
	*len = size;
	return 0;
}
