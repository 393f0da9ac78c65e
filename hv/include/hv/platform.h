/* SPDX-License-Identifier: MIT */
/* What the core and arch layers need from the firmware platform. */
#ifndef HV_PLATFORM_H
#define HV_PLATFORM_H

/* Powers the machine off through the firmware (ACPI S5 on UEFI). */
__attribute__((noreturn)) void platform_power_off(void);

#endif /* HV_PLATFORM_H */
