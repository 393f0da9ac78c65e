// SPDX-License-Identifier: MIT
/*
 * insn-window: a QEMU TCG plugin for the block benchmark (blk-bench.sh).
 * It counts the instructions the whole emulated machine executes (every
 * privilege level, guest mode or not) and, each time a marker instruction
 * runs, writes the count since the marker before to the file named by
 * VENEER_INSN_WINDOW_OUT, one "window N" line per pair.  The marker is
 * `xchg %bx,%bx` (66 87 DB), which does nothing; blkbench executes it
 * around its measured reads.  A halted CPU executes nothing, so the time a
 * guest waits for a device's completion costs nothing, whoever completes
 * it: the figure is the work done, not the time taken.
 *
 * The plugin interface (QEMU 7.2, version 1) is declared here as QEMU
 * documents it, for the few calls used.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

void qemu_plugin_register_vcpu_tb_trans_cb(
	qemu_plugin_id_t id,
	void (*cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb));
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *
qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op, void *ptr,
					      uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    void (*cb)(unsigned int vcpu,
						       void *data),
					    enum qemu_plugin_cb_flags flags,
					    void *data);

#define EXPORT __attribute__((visibility("default")))

/* What QEMU looks up in the plugin. */
EXPORT extern int qemu_plugin_version;
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc,
			       char **argv);

EXPORT int qemu_plugin_version = 1;

static const unsigned char marker[] = {0x66, 0x87, 0xdb};
static uint64_t executed, window_start;
static int in_window;
static FILE *out;

static void at_marker(unsigned int vcpu, void *data)
{
	(void)vcpu;
	(void)data;
	if (in_window && out) {
		fprintf(out, "window %llu\n",
			(unsigned long long)(executed - window_start));
		fflush(out);
	}
	in_window = !in_window;
	window_start = executed;
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &executed, n);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (qemu_plugin_insn_size(insn) == sizeof(marker) &&
		    !memcmp(qemu_plugin_insn_data(insn), marker,
			    sizeof(marker)))
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, at_marker, QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc,
			       char **argv)
{
	const char *path = getenv("VENEER_INSN_WINDOW_OUT");

	(void)info;
	(void)argc;
	(void)argv;
	out = fopen(path ? path : "insn-window.txt", "w");
	if (!out)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	return 0;
}
