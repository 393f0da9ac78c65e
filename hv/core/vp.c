/* SPDX-License-Identifier: MIT */
/* Virtual processors: creating them, and VP_INFO. */
#include <hv/hypercall_calls.h>
#include <hv/partition.h>
#include <hv/reftime.h>
#include <hv/string.h>
#include <hv/synic.h>
#include <libvnr/boot_layout.h>

struct hv_vp *partition_create_vp(struct hv_partition *p,
				  const struct hv_vp_boot_state *boot)
{
	/* Without a boot state: long mode, the selectors of the boot GDT
	 * the caller is to write (the Linux one on the PC platform) and set
	 * GDTR to, everything else zero. */
	static const struct hv_vp_boot_state reset_state = {
		.code_selector = VNR_BOOT_SELECTOR_CODE64,
		.data_selector = VNR_BOOT_SELECTOR_DATA,
	};
	static const struct hv_vp_boot_state pc_reset_state = {
		.code_selector = VNR_BOOT_LINUX_SELECTOR_CODE64,
		.data_selector = VNR_BOOT_LINUX_SELECTOR_DATA,
	};
	struct hv_vp *vp;

	if (p->vp_count == HV_MAX_VPS)
		return NULL;
	vp = &p->vps[p->vp_count];
	memset(vp, 0, sizeof(*vp));
	vp->partition = p;
	vp->index = p->vp_count;
	if (synic_init(vp))
		return NULL;
	if (!boot)
		boot = p->pc_platform ? &pc_reset_state : &reset_state;
	if (arch_vp_init(vp, boot)) {
		synic_destroy(vp);
		return NULL;
	}
	p->vp_count++;
	return vp;
}

void vp_destroy(struct hv_vp *vp)
{
	arch_vp_destroy(vp);
	synic_destroy(vp);
}

enum vnr_status call_vp_info(struct hv_call *call)
{
	const struct vnr_vp_info_input *in = call->input;
	const struct hv_partition *p = call->vp->partition;
	const struct hv_vp *vp;
	struct vnr_vp_info info;

	if (in->reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	if (in->vp_index >= p->vp_count)
		return VNR_STATUS_INVALID_VP_INDEX;
	vp = &p->vps[in->vp_index];
	memset(&info, 0, sizeof(info));
	info.vp_index = vp->index;
	info.partition_id = p->id;
	info.run_time_100ns = reftime_from_tsc_delta(vp->run_tsc);
	info.exits = vp->exits;
	info.hypercalls = vp->hypercalls;
	memcpy(call->output, &info, sizeof(info));
	return VNR_STATUS_SUCCESS;
}
