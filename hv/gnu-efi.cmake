# Finds gnu-efi for linking hv.efi and sets:
#
#   GNU_EFI_LDS       the linker script of an x86-64 EFI application
#   GNU_EFI_CRT0      its start code
#   GNU_EFI_INCLUDE   the header directories (generic and x86-64)
#   GNU_EFI_LIBS      libefi and libgnuefi
#
# Distributions put the files in different library directories; a missing
# piece stops the configure with the command that installs it.

set(GNU_EFI_HINTS /usr/lib /usr/lib64 /usr/lib/x86_64-linux-gnu
    /usr/local/lib /usr/local/lib64)

find_file(GNU_EFI_LDS elf_x86_64_efi.lds HINTS ${GNU_EFI_HINTS}
          PATH_SUFFIXES gnuefi)
find_file(GNU_EFI_CRT0 crt0-efi-x86_64.o HINTS ${GNU_EFI_HINTS}
          PATH_SUFFIXES gnuefi)
find_path(GNU_EFI_INCLUDE_DIR efi.h HINTS /usr/include /usr/local/include
          PATH_SUFFIXES efi)
find_path(GNU_EFI_ARCH_INCLUDE_DIR efibind.h HINTS ${GNU_EFI_INCLUDE_DIR}
          PATH_SUFFIXES x86_64 NO_DEFAULT_PATH)
find_library(GNU_EFI_LIBEFI efi HINTS ${GNU_EFI_HINTS})
find_library(GNU_EFI_LIBGNUEFI gnuefi HINTS ${GNU_EFI_HINTS})

foreach(var GNU_EFI_LDS GNU_EFI_CRT0 GNU_EFI_INCLUDE_DIR
        GNU_EFI_ARCH_INCLUDE_DIR GNU_EFI_LIBEFI GNU_EFI_LIBGNUEFI)
  if(NOT ${var})
    message(FATAL_ERROR "gnu-efi is missing (${var} not found); "
                        "run ./veneer deps")
  endif()
endforeach()

set(GNU_EFI_INCLUDE ${GNU_EFI_INCLUDE_DIR} ${GNU_EFI_ARCH_INCLUDE_DIR})
set(GNU_EFI_LIBS ${GNU_EFI_LIBEFI} ${GNU_EFI_LIBGNUEFI})
message(STATUS "gnu-efi: ${GNU_EFI_INCLUDE_DIR}, ${GNU_EFI_LDS}")
