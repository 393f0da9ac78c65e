/* SPDX-License-Identifier: MIT */
#ifndef EFI_FILES_H
#define EFI_FILES_H

#include <efi.h>

/* Reads a whole file (ASCII path with backslashes) into pool memory. */
int efi_read_file(EFI_FILE_HANDLE root, const char *path, void **data,
		  UINTN *len);

#endif /* EFI_FILES_H */
