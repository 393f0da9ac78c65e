# libvnr: the freestanding code the hypervisor and the guest SDK share (ELF
# checks and loading, Linux bzImage checks and loading, the boot region's
# page tables and GDT, a child's start information, partition names,
# string functions).  It includes no system header but the
# compiler's own (stddef.h, stdbool.h), so it also builds hosted for the
# unit tests and fuzz targets.
#
# There is no prebuilt archive: each consumer compiles the sources with its
# own flags (hv.efi is -fpic, guests -fno-pic -mcmodel=small), through
#
#   libvnr_add(<target> [STRING] [MEMCPY_MEMSET])
#
# which adds LIBVNR_SOURCES and the include directory LIBVNR_INCLUDE to
# <target>.  STRING adds the string functions but memcpy and memset,
# MEMCPY_MEMSET those two, for a consumer that has them from nowhere else.

set(LIBVNR_INCLUDE ${CMAKE_CURRENT_LIST_DIR}/include)
set(LIBVNR_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/src/boot_layout.c
    ${CMAKE_CURRENT_LIST_DIR}/src/elf.c
    ${CMAKE_CURRENT_LIST_DIR}/src/gpa_writer.c
    ${CMAKE_CURRENT_LIST_DIR}/src/linux_boot.c
    ${CMAKE_CURRENT_LIST_DIR}/src/mp_table.c
    ${CMAKE_CURRENT_LIST_DIR}/src/name.c
    ${CMAKE_CURRENT_LIST_DIR}/src/start_info.c)
set(LIBVNR_STRING_SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/string.c)
set(LIBVNR_MEMCPY_MEMSET_SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/memory.c)

function(libvnr_add target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "STRING;MEMCPY_MEMSET" "" "")
  set(sources ${LIBVNR_SOURCES})
  if(ARG_STRING)
    list(APPEND sources ${LIBVNR_STRING_SOURCES})
  endif()
  if(ARG_MEMCPY_MEMSET)
    list(APPEND sources ${LIBVNR_MEMCPY_MEMSET_SOURCES})
  endif()
  target_sources(${target} PRIVATE ${sources})
  target_include_directories(${target} PUBLIC ${LIBVNR_INCLUDE})
endfunction()
