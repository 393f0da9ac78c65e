// SPDX-License-Identifier: MIT
/*
 * A root gives itself and a child it builds ports and connections
 * (VNR_CALL_PORT_CREATE, VNR_CALL_CONNECTION_CREATE) and serves the
 * child's console channel itself: the child is t_console_client, run
 * unchanged, as it runs beside the console service of a configuration.
 * Every line it sends must arrive whole; after the child is destroyed
 * the root's connections to it are gone and their ids free again.
 */
#include <vnr_test.h>
#include <vnr_guest/channel.h>
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>
#include <vnr_console/protocol.h>

#define MSG_SINT      2
#define EVENT_SINT    3
#define NOTIFY_SINT   4
#define MSG_PORT      1
#define EVENT_PORT    2
#define DEPOSIT_PAGES 2048u /* 8 MiB */
#define CHILD_BYTES   (4ull << 20)
#define SECONDS(n)    ((vnr_u64)(n)*10000000ull)
#define LINES	      20 /* the child's lines= */

extern const char vnr_image_child_start[], vnr_image_child_end[];

static struct vnr_channel channel;
static char line[VNR_CONSOLE_LINE_MAX + 1];
static vnr_u32 line_len, lines_whole;

static vnr_u32 build_child(void)
{
	struct vnr_child_config cfg = {
		.name = "client",
		.privileges = VNR_PRIV_MASK(DEBUG_CONSOLE),
		.notify_sint = NOTIFY_SINT,
		.memory_size = CHILD_BYTES,
		.cmdline = "lines=20",
		.image = vnr_image_child_start,
		.image_size =
			(size_t)(vnr_image_child_end - vnr_image_child_start),
	};
	char err[96];
	vnr_u32 id = 0;

	if (!VNR_EXPECT_EQ(vnr_child_build(&cfg, &id, NULL, err, sizeof(err)),
			   VNR_STATUS_SUCCESS))
		vnr_test_note("building the child: %s", err);
	return id;
}

/* Both ends as the console service's configuration would make them. */
static bool wire(vnr_u32 self, vnr_u32 child)
{
	return VNR_EXPECT_EQ(vnr_port_create(self, MSG_PORT, VNR_PORT_MESSAGE,
					     MSG_SINT, 0),
			     VNR_STATUS_SUCCESS) &&
	       VNR_EXPECT_EQ(vnr_port_create(self, EVENT_PORT, VNR_PORT_EVENT,
					     EVENT_SINT, 64),
			     VNR_STATUS_SUCCESS) &&
	       VNR_EXPECT_EQ(vnr_port_create(child, MSG_PORT, VNR_PORT_MESSAGE,
					     MSG_SINT, 0),
			     VNR_STATUS_SUCCESS) &&
	       VNR_EXPECT_EQ(vnr_port_create(child, EVENT_PORT, VNR_PORT_EVENT,
					     EVENT_SINT, 64),
			     VNR_STATUS_SUCCESS) &&
	       VNR_EXPECT_EQ(vnr_connection_create(child, 1, self, MSG_PORT),
			     VNR_STATUS_SUCCESS) &&
	       VNR_EXPECT_EQ(vnr_connection_create(child, 2, self, EVENT_PORT),
			     VNR_STATUS_SUCCESS) &&
	       VNR_EXPECT_EQ(vnr_connection_create(self, 1, child, MSG_PORT),
			     VNR_STATUS_SUCCESS) &&
	       VNR_EXPECT_EQ(vnr_connection_create(self, 2, child, EVENT_PORT),
			     VNR_STATUS_SUCCESS);
}

static void end_line(void)
{
	line[line_len] = '\0';
	vnr_printf("client: %s\n", line);
	if (line_len > 4 && !memcmp(line + line_len - 4, " end", 4))
		lines_whole++;
	line_len = 0;
}

static void take(const char *text, vnr_u32 len)
{
	for (vnr_u32 i = 0; i < len; i++) {
		if (text[i] == '\n') {
			end_line();
			continue;
		}
		line[line_len++] =
			text[i] >= 0x20 && text[i] < 0x7f ? text[i] : '?';
		if (line_len == VNR_CONSOLE_LINE_MAX)
			end_line();
	}
}

/* Serves the channel until the client has closed it. */
static void serve(void)
{
	static char buf[VNR_CONSOLE_WRITE_MAX];
	vnr_u64 deadline = vnr_reference_time() + SECONDS(60);

	while (channel.state != VNR_CHSTATE_CLOSED &&
	       vnr_reference_time() < deadline) {
		enum vnr_channel_result r;
		vnr_u32 len;
		vnr_u16 type;

		vnr_channels_poll();
		r = vnr_channel_recv(&channel, &type, buf, sizeof(buf), &len);
		if (r == VNR_CHANNEL_OK && type == VNR_CONSOLE_PKT_WRITE)
			take(buf, len);
		else if (r == VNR_CHANNEL_OK && type == VNR_CONSOLE_PKT_FLUSH &&
			 line_len)
			end_line();
		else if (r == VNR_CHANNEL_EMPTY)
			vnr_channels_wait();
	}
	VNR_EXPECT_EQ(channel.state, VNR_CHSTATE_CLOSED);
	VNR_EXPECT_EQ(channel.close_reason, VNR_CHANNEL_CLOSE_NORMAL);
}

static void expect_clean_exit(vnr_u32 child)
{
	struct vnr_partition_exit_message m;

	if (!VNR_EXPECT(vnr_wait_partition_exit(NOTIFY_SINT, &m, SECONDS(20))))
		return;
	VNR_EXPECT_EQ(m.partition_id, child);
	VNR_EXPECT_EQ(m.exit_reason, VNR_EXIT_CLEAN);
	VNR_EXPECT_EQ(m.exit_status, 0);
}

/* Destroying the child removed the root's connections to it. */
static void expect_connections_gone(vnr_u32 self)
{
	VNR_EXPECT_EQ(vnr_connection_create(self, 1, self, MSG_PORT),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_connection_create(self, 1, self, MSG_PORT),
		      VNR_STATUS_INVALID_PARAMETER);
}

int vnr_main(const struct vnr_start_info *si)
{
	static const struct vnr_guid console_class = VNR_CONSOLE_CLASS;
	static const struct vnr_guid instance = {{1}};
	vnr_u32 child;
	vnr_u64 gpa;

	vnr_test_begin("t_mgmt_channel");
	if (!VNR_EXPECT(vnr_channels_init(MSG_SINT, EVENT_SINT)) ||
	    !VNR_EXPECT(vnr_find_deposit_range(
		    si, (vnr_u64)DEPOSIT_PAGES * VNR_PAGE_SIZE, &gpa)) ||
	    !VNR_EXPECT_EQ(vnr_memory_deposit(gpa, DEPOSIT_PAGES),
			   VNR_STATUS_SUCCESS))
		return vnr_test_done();
	child = build_child();
	if (!child || !wire(si->partition_id, child))
		return vnr_test_done();
	VNR_EXPECT_EQ(vnr_partition_start(child), VNR_STATUS_SUCCESS);
	/* A started child's reach is fixed. */
	VNR_EXPECT_EQ(
		vnr_connection_create(child, 3, si->partition_id, MSG_PORT),
		VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(
		vnr_channel_offer(&channel, 1, 1, 2, &console_class, &instance),
		VNR_STATUS_SUCCESS);
	serve();
	VNR_EXPECT_EQ(lines_whole, LINES);
	vnr_test_note("%u whole lines of %u", lines_whole, LINES);
	expect_clean_exit(child);
	VNR_EXPECT_EQ(vnr_partition_destroy(child), VNR_STATUS_SUCCESS);
	expect_connections_gone(si->partition_id);
	VNR_EXPECT_EQ(vnr_memory_withdraw(gpa, DEPOSIT_PAGES),
		      VNR_STATUS_SUCCESS);
	return vnr_test_done();
}
