/* SPDX-License-Identifier: MIT */
/* A VP's virtual interrupt controller (see hv/vintc.h). */
#include <hv/vintc.h>

static int highest(const u64 bits[4])
{
	for (int w = 3; w >= 0; w--)
		if (bits[w])
			return w * 64 + 63 - __builtin_clzll(bits[w]);
	return -1;
}

static void set_bit(u64 bits[4], u8 v)
{
	bits[v / 64] |= 1ull << (v % 64);
}

static void clear_bit(u64 bits[4], u8 v)
{
	bits[v / 64] &= ~(1ull << (v % 64));
}

void vintc_raise(struct hv_vintc *c, u8 vector, bool auto_eoi)
{
	set_bit(c->pending, vector);
	if (auto_eoi)
		set_bit(c->auto_eoi, vector);
	else
		clear_bit(c->auto_eoi, vector);
	c->any_pending = true;
}

int vintc_deliverable(const struct hv_vintc *c)
{
	int p = highest(c->pending);

	if (p >> 4 <= c->priority >> 4)
		return -1;
	return p > highest(c->in_service) ? p : -1;
}

void vintc_accept(struct hv_vintc *c, u8 vector)
{
	clear_bit(c->pending, vector);
	if (!(c->auto_eoi[vector / 64] & (1ull << (vector % 64))))
		set_bit(c->in_service, vector);
	c->any_pending = highest(c->pending) >= 0;
}

void vintc_eoi(struct hv_vintc *c)
{
	int v = highest(c->in_service);

	if (v >= 0)
		clear_bit(c->in_service, (u8)v);
}
