/* SPDX-License-Identifier: MIT */
/*
 * The synthetic console device (synthetic-devices/README.md): a client
 * writes text to a console channel; the backend prints it on the serial
 * line one whole line at a time, prefixed with the client's name.
 *
 * Packets travel client to provider only, as ring packets whose type is
 * one of VNR_CONSOLE_PKT_*; the backend skips packets of other types.
 */
#ifndef VNR_CONSOLE_PROTOCOL_H
#define VNR_CONSOLE_PROTOCOL_H

#include <veneer/channel.h>

/* Device class of console channels: 5f0c6b1e-3d2a-4c8e-9a47-c075013de701. */
#define VNR_CONSOLE_CLASS                                                     \
	{                                                                     \
		{                                                             \
			0x5f, 0x0c, 0x6b, 0x1e, 0x3d, 0x2a, 0x4c, 0x8e, 0x9a, \
				0x47, 0xc0, 0x75, 0x01, 0x3d, 0xe7, 0x01      \
		}                                                             \
	}

/*
 * WRITE: the payload is 1..VNR_CONSOLE_WRITE_MAX bytes of text, any part
 * of a line or several lines; the backend joins the pieces into lines.
 */
#define VNR_CONSOLE_PKT_WRITE 0x0100u
/* FLUSH: no payload; print the partial line now, as a line of its own. */
#define VNR_CONSOLE_PKT_FLUSH 0x0101u

#define VNR_CONSOLE_WRITE_MAX 256u
/* Longer lines are printed in pieces of this many characters. */
#define VNR_CONSOLE_LINE_MAX 160u

#endif /* VNR_CONSOLE_PROTOCOL_H */
