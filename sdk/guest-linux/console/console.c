// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * veneer_console.ko: the console class driver.  Each console channel
 * (synthetic-devices/console) becomes an hvc terminal, /dev/hvcN, whose
 * output goes to the provider as WRITE packets; console=hvc0 makes it the
 * kernel's console.  The protocol has no input.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <vnr_console/protocol.h>

#include "hvc.h"
#include "veneer_bus.h"

/* Text to the provider; the provider sends nothing back. */
#define VENEER_CONSOLE_SEND_PAGES 16
#define VENEER_CONSOLE_RECV_PAGES 2
/* hvc's buffer for terminal output. */
#define VENEER_CONSOLE_OUTBUF 1024
/*
 * How long a full ring holds kernel messages back (hvc's console output
 * spins while put_chars() says -EAGAIN).  After that, until the provider
 * makes room, console text is dropped: a provider that stops reading must
 * not stop the kernel.
 */
#define VENEER_CONSOLE_STALL_NS (100 * NSEC_PER_MSEC)

struct veneer_console {
	struct veneer_device *vdev;
	struct hvc_struct *hvc;
	u64 stalled_since; /* local_clock() of the first refusal, or 0 */
};

/*
 * Consoles by terminal number, the channel id.  hvc may call put_chars()
 * until hvc_remove() returns and a little after, from any context: the
 * lock, with interrupts disabled, keeps a console from going away under
 * it.
 */
static DEFINE_SPINLOCK(veneer_consoles_lock);
static struct veneer_console *veneer_consoles[VENEER_CHANNEL_MAX_ID + 1];

static int veneer_console_refused(struct veneer_console *cons)
{
	u64 now = local_clock() | 1;

	if (!cons->stalled_since)
		cons->stalled_since = now;
	return now - cons->stalled_since < VENEER_CONSOLE_STALL_NS ? -EAGAIN
								    : 0;
}

/*
 * Fills text with up to VNR_CONSOLE_WRITE_MAX bytes of buf, less the
 * carriage returns hvc and the terminal put before each newline: the
 * provider ends lines at '\n' and would print a '\r' as text.  Returns the
 * length of text; *used is what it took from buf.
 */
static u32 veneer_console_chunk(const char *buf, int count, char *text,
				int *used)
{
	u32 len = 0;
	int i;

	for (i = 0; i < count && len < VNR_CONSOLE_WRITE_MAX; i++)
		if (buf[i] != '\r')
			text[len++] = buf[i];
	*used = i;
	return len;
}

/* A closed channel takes everything: the text is dropped. */
static int veneer_console_write(struct veneer_console *cons, const char *buf,
				int count)
{
	char text[VNR_CONSOLE_WRITE_MAX];
	int done = 0, used, err;
	u32 len;

	while (done < count) {
		len = veneer_console_chunk(buf + done, count - done, text,
					   &used);
		err = len ? veneer_channel_send(cons->vdev,
						VNR_CONSOLE_PKT_WRITE, text,
						len)
			  : 0;
		if (err == -EAGAIN)
			break;
		done += used;
	}
	if (done || !count) {
		cons->stalled_since = 0;
		return done;
	}
	return veneer_console_refused(cons);
}

/* Called by hvc with its spinlock held: never sleeps. */
static int veneer_console_put_chars(u32 vtermno, const char *buf, int count)
{
	struct veneer_console *cons;
	unsigned long flags;
	int taken = count;

	spin_lock_irqsave(&veneer_consoles_lock, flags);
	cons = vtermno < ARRAY_SIZE(veneer_consoles) ? veneer_consoles[vtermno]
						      : NULL;
	if (cons)
		taken = veneer_console_write(cons, buf, count);
	spin_unlock_irqrestore(&veneer_consoles_lock, flags);
	return taken;
}

static int veneer_console_get_chars(u32 vtermno, char *buf, int count)
{
	return 0;
}

static const struct hv_ops veneer_console_ops = {
	.get_chars = veneer_console_get_chars,
	.put_chars = veneer_console_put_chars,
};

/*
 * Room in the ring, or the channel closed: hvc retries or drops.  hvc's
 * thread exists only once hvc_alloc() has run, and the channel can signal
 * before that (its open comes first).
 */
static void veneer_console_notify(struct veneer_device *vdev)
{
	struct veneer_console *cons = dev_get_drvdata(&vdev->dev);

	if (READ_ONCE(cons->hvc))
		hvc_kick();
}

static void veneer_console_publish(u32 id, struct veneer_console *cons)
{
	unsigned long flags;

	spin_lock_irqsave(&veneer_consoles_lock, flags);
	veneer_consoles[id] = cons;
	spin_unlock_irqrestore(&veneer_consoles_lock, flags);
}

static int veneer_console_probe(struct veneer_device *vdev)
{
	struct veneer_console *cons;
	struct hvc_struct *hvc;
	int err;

	if (vdev->channel_id >= ARRAY_SIZE(veneer_consoles))
		return -EINVAL;
	cons = kzalloc(sizeof(*cons), GFP_KERNEL);
	if (!cons)
		return -ENOMEM;
	cons->vdev = vdev;
	dev_set_drvdata(&vdev->dev, cons);
	err = veneer_channel_open(vdev, VENEER_CONSOLE_SEND_PAGES,
				  VENEER_CONSOLE_RECV_PAGES,
				  veneer_console_notify);
	if (err)
		goto free;
	veneer_console_publish(vdev->channel_id, cons);
	hvc = hvc_alloc(vdev->channel_id, 0, &veneer_console_ops,
			VENEER_CONSOLE_OUTBUF);
	if (IS_ERR(hvc)) {
		err = PTR_ERR(hvc);
		goto unpublish;
	}
	WRITE_ONCE(cons->hvc, hvc);
	return 0;

unpublish:
	veneer_console_publish(vdev->channel_id, NULL);
	veneer_channel_close(vdev);
free:
	kfree(cons);
	dev_err(&vdev->dev, "no console: %d\n", err);
	return err;
}

static void veneer_console_remove(struct veneer_device *vdev)
{
	struct veneer_console *cons = dev_get_drvdata(&vdev->dev);

	hvc_remove(cons->hvc);
	veneer_console_publish(vdev->channel_id, NULL);
	veneer_channel_close(vdev);
	kfree(cons);
}

static struct veneer_driver veneer_console_driver = {
	.driver.name = KBUILD_MODNAME,
	.class_id = VNR_CONSOLE_CLASS,
	.probe = veneer_console_probe,
	.remove = veneer_console_remove,
};

static int __init veneer_console_init(void)
{
	return veneer_driver_register(&veneer_console_driver);
}
module_init(veneer_console_init);

static void __exit veneer_console_exit(void)
{
	veneer_driver_unregister(&veneer_console_driver);
}
module_exit(veneer_console_exit);

/* VNR_CONSOLE_CLASS, as the bus's uevent spells it. */
MODULE_ALIAS("veneer:5f0c6b1e3d2a4c8e9a47c075013de701");
MODULE_DESCRIPTION("Veneer partition: console channel as an hvc terminal");
MODULE_LICENSE("Dual MIT/GPL");
