/* SPDX-License-Identifier: MIT */
#ifndef EFI_FILES_H
#define EFI_FILES_H

#include <efi.h>

#include <hv/types.h>

/* Reads a whole file (ASCII path with backslashes) into pool memory. */
int efi_read_file(EFI_FILE_HANDLE root, const char *path, void **data,
		  UINTN *len);
/* Whether path names a file (not a directory) under root. */
bool efi_file_exists(EFI_FILE_HANDLE root, const char *path);
/* An ASCII string as a new UCS-2 string in pool memory, or NULL. */
CHAR16 *efi_char16_dup(const char *s);

#endif /* EFI_FILES_H */
