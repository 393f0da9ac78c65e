// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * VENEER_READ_LOG: the hypervisor's log ring through LOG_READ, one page a
 * call, until the user's buffer is full or the log has nothing more.
 */
#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "veneer.h"

/*
 * The bytes returned are contiguous: args->offset becomes the offset of
 * the first (above the one asked for if the ring lost bytes before it),
 * and the read stops before a later gap.
 */
static int veneer_log_copy(struct veneer_log_read *args,
			   struct vnr_log_read_output *out)
{
	char __user *buffer = veneer_user_ptr(args->buffer);
	u64 next = args->offset;
	int err;

	args->length = 0;
	while (args->length < args->size) {
		u32 length;

		err = veneer_call_log_read(next, out);
		if (err)
			return err;
		if (out->length > VNR_LOG_READ_MAX)
			return -EIO;
		if (!args->length)
			args->offset = out->offset;
		else if (out->offset != next)
			return 0;
		length = min(out->length, args->size - args->length);
		if (!length)
			return 0;
		if (copy_to_user(buffer + args->length, out->data, length))
			return -EFAULT;
		args->length += length;
		next = out->offset + length;
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return 0;
}

int veneer_read_log(struct veneer_log_read *args)
{
	struct vnr_log_read_output *out;
	int err;

	out = (void *)__get_free_page(GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	err = veneer_log_copy(args, out);
	free_page((unsigned long)out);
	/* What was read is returned; an error only when nothing was. */
	return args->length ? 0 : err;
}
