/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The part of the kernel's hvc interface this driver uses.  Its header,
 * drivers/tty/hvc/hvc_console.h, is not in the distribution's headers
 * package, so the backend operations and the functions the kernel exports
 * are declared here.  struct hv_ops must have the kernel's layout (the
 * same in every kernel since 3.x, 6.1 included): hvc calls through it.
 */
#ifndef VENEER_CONSOLE_HVC_H
#define VENEER_CONSOLE_HVC_H

#include <linux/types.h>

struct hvc_struct;

struct hv_ops {
	int (*get_chars)(u32 vtermno, char *buf, int count);
	int (*put_chars)(u32 vtermno, const char *buf, int count);
	int (*flush)(u32 vtermno, bool wait);
	int (*notifier_add)(struct hvc_struct *hp, int irq);
	void (*notifier_del)(struct hvc_struct *hp, int irq);
	void (*notifier_hangup)(struct hvc_struct *hp, int irq);
	int (*tiocmget)(struct hvc_struct *hp);
	int (*tiocmset)(struct hvc_struct *hp, unsigned int set,
			unsigned int clear);
	void (*dtr_rts)(struct hvc_struct *hp, int raise);
};

/*
 * Creates the next /dev/hvcN for terminal vtermno served by ops, with an
 * output buffer of outbuf_size bytes; data is an interrupt for the
 * notifier callbacks (0 and none: hvc polls).  It becomes the kernel
 * console if console=hvcN names it.  Returns it or an ERR_PTR().
 */
struct hvc_struct *hvc_alloc(u32 vtermno, int data, const struct hv_ops *ops,
			     int outbuf_size);

/*
 * Removes hp: no console output reaches ops afterwards; an open terminal
 * is hung up.  Returns 0.
 */
int hvc_remove(struct hvc_struct *hp);

/* Wakes hvc's thread, which retries pending output and polls input. */
void hvc_kick(void);

#endif /* VENEER_CONSOLE_HVC_H */
