/* SPDX-License-Identifier: MIT */
#ifndef X86_SERIAL_H
#define X86_SERIAL_H

void serial_init(void);

#endif /* X86_SERIAL_H */
