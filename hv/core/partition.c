/* SPDX-License-Identifier: MIT */
/* Partition lifecycle: create, start, stop, destroy. */
#include <hv/format.h>
#include <hv/grant_ops.h>
#include <hv/page_alloc.h>
#include <hv/log.h>
#include <hv/partition.h>
#include <hv/string.h>

static struct hv_partition partitions[HV_MAX_PARTITIONS];
static u32 next_partition_id = 1;

const u64 hv_all_privileges = 0
#define VNR_PRIV(name, bit) | (1ull << (bit))
#include <veneer/privileges.def>
#undef VNR_PRIV
	;

struct hv_partition *partition_at(u32 slot)
{
	return slot < HV_MAX_PARTITIONS ? &partitions[slot] : NULL;
}

struct hv_partition *partition_by_id(u32 id)
{
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++)
		if (partitions[i].state != HV_PARTITION_FREE &&
		    partitions[i].id == id)
			return &partitions[i];
	return NULL;
}

struct hv_partition *partition_child(struct hv_partition *parent, u64 id)
{
	struct hv_partition *p =
		id <= 0xFFFFFFFFull ? partition_by_id((u32)id) : NULL;

	return p && p->parent == parent->id ? p : NULL;
}

bool partition_being_built(const struct hv_partition *p)
{
	return p->state == HV_PARTITION_CREATED ||
	       p->state == HV_PARTITION_SUSPENDED;
}

enum vnr_status partition_child_being_built(struct hv_partition *parent, u64 id,
					    struct hv_partition **child)
{
	*child = partition_child(parent, id);
	if (!*child)
		return VNR_STATUS_INVALID_PARTITION_ID;
	if (!partition_being_built(*child))
		return VNR_STATUS_INVALID_PARTITION_STATE;
	return VNR_STATUS_SUCCESS;
}

#ifdef HV_HOSTED
void partition_set_next_id(u32 id)
{
	next_partition_id = id;
}
#endif

/*
 * Ids are never reused (conventions.md): a grant, a connection or a
 * parent's record naming a destroyed partition's id must never reach a
 * newcomer.  Once the last id (0xFFFFFFFF) is given out, the counter reads
 * 0 and no partition is created any more.
 */
struct hv_partition *partition_create(const char *name, u64 privileges)
{
	if (!next_partition_id) {
		hv_log("partition '%s': every partition id has been used\n",
		       name);
		return NULL;
	}
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++) {
		struct hv_partition *p = &partitions[i];

		if (p->state != HV_PARTITION_FREE)
			continue;
		memset(p, 0, sizeof(*p));
		p->id = next_partition_id++;
		hv_strlcpy(p->name, name, sizeof(p->name));
		p->privileges = privileges;
		/* One share each: HV_MAX_PARTITIONS shares fit the pool. */
		p->pool.limit = page_pool_share();
		if (arch_partition_init(p)) {
			hv_log("partition '%s': no memory for its address "
			       "space\n",
			       name);
			return NULL;
		}
		p->state = HV_PARTITION_CREATED;
		return p;
	}
	hv_log("partition '%s': no free partition slot\n", name);
	return NULL;
}

/* A resumed VP that had halted goes on waiting for its event. */
void partition_start(struct hv_partition *p)
{
	p->state = HV_PARTITION_RUNNING;
	for (u32 i = 0; i < p->vp_count; i++)
		if (p->vps[i].state == HV_VP_STOPPED)
			p->vps[i].state = HV_VP_RUNNABLE;
}

static void stop_vps(struct hv_partition *p)
{
	p->state = HV_PARTITION_STOPPED;
	for (u32 i = 0; i < p->vp_count; i++)
		p->vps[i].state = HV_VP_STOPPED;
}

/* Tells the parent, on the SINT it chose, that its child has ended. */
static void notify_parent(struct hv_partition *p)
{
	struct hv_partition *parent = partition_by_id(p->parent);
	struct vnr_partition_exit_message m;
	struct vnr_message msg;

	if (!parent || parent->state != HV_PARTITION_RUNNING)
		return;
	memset(&m, 0, sizeof(m));
	m.partition_id = p->id;
	m.exit_reason = p->exit_reason;
	m.exit_status = p->exit_status;
	hv_strlcpy(m.diagnostic, p->stop_reason, sizeof(m.diagnostic));
	memset(&msg, 0, sizeof(msg));
	msg.header.message_type = VNR_MSG_PARTITION_EXIT;
	msg.header.payload_size = sizeof(m);
	memcpy(msg.payload, &m, sizeof(m));
	if (synic_post(&parent->vps[0], p->notify_sint, &msg))
		hv_log("partition %u: exit message to '%s' lost (queue full)\n",
		       p->id, parent->name);
}

static void stop(struct hv_partition *p, enum vnr_exit_reason reason,
		 u64 status, const char *fmt, va_list ap)
{
	hv_vsnprintf(p->stop_reason, sizeof(p->stop_reason), fmt, ap);
	p->clean_exit = reason == VNR_EXIT_CLEAN;
	p->exit_reason = reason;
	p->exit_status = status;
	stop_vps(p);
	partition_flush_debug(p);
	hv_log("partition %u '%s' stopped: %s\n", p->id, p->name,
	       p->stop_reason);
}

void partition_stop(struct hv_partition *p, bool clean, u64 status,
		    const char *fmt, ...)
{
	va_list ap;

	if (p->state == HV_PARTITION_STOPPED)
		return;
	va_start(ap, fmt);
	stop(p, clean ? VNR_EXIT_CLEAN : VNR_EXIT_FAULT, status, fmt, ap);
	va_end(ap);
	notify_parent(p);
}

static void stop_by_parent(struct hv_partition *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stop(p, VNR_EXIT_STOPPED, 0, fmt, ap);
	va_end(ap);
}

enum vnr_status partition_change_state(struct hv_partition *p,
				       enum hv_partition_transition t)
{
	static const enum hv_partition_state from[] = {
		[HV_START] = HV_PARTITION_CREATED,
		[HV_SUSPEND] = HV_PARTITION_RUNNING,
		[HV_RESUME] = HV_PARTITION_SUSPENDED,
	};

	if (t == HV_STOP) {
		if (p->state != HV_PARTITION_RUNNING &&
		    p->state != HV_PARTITION_SUSPENDED)
			return VNR_STATUS_INVALID_PARTITION_STATE;
		stop_by_parent(p, "stopped by its parent");
		return VNR_STATUS_SUCCESS;
	}
	if (p->state != from[t])
		return VNR_STATUS_INVALID_PARTITION_STATE;
	if (t == HV_START && (!p->vp_count || !p->mem.ram_size))
		return VNR_STATUS_INVALID_PARTITION_STATE;
	if (t == HV_SUSPEND)
		p->state = HV_PARTITION_SUSPENDED;
	else
		partition_start(p);
	return VNR_STATUS_SUCCESS;
}

static bool has_live_children(struct hv_partition *p)
{
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++)
		if (partitions[i].state != HV_PARTITION_FREE &&
		    partitions[i].parent == p->id)
			return true;
	return false;
}

/*
 * Grants made by p, and mappings of others' grants in p, end with it.  A
 * grant whose revoke fails stays, and so does p: no peer keeps a mapping
 * that no grant accounts for.
 */
static enum vnr_status drop_grants(struct hv_partition *p)
{
	for (u32 s = 0; s < VNR_MAX_GRANTS; s++) {
		enum vnr_status st;

		if (!p->grants.slot[s].handle)
			continue;
		st = grant_revoke(p, p->grants.slot[s].handle);
		if (st != VNR_STATUS_SUCCESS)
			return st;
	}
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++)
		for (u32 s = 0; s < VNR_MAX_GRANTS; s++)
			if (partitions[i].grants.slot[s].peer == p->id)
				partitions[i].grants.slot[s].mapped = false;
	return VNR_STATUS_SUCCESS;
}

/* Every RAM page of a child goes back to its parent's deposit pool. */
static void return_ram(struct hv_partition *p)
{
	struct hv_partition *parent = partition_by_id(p->parent);

	for (u32 i = 0; parent && i < p->mem.extent_count; i++)
		for (u64 off = 0; off < p->mem.extents[i].size;
		     off += PAGE_SIZE)
			deposit_return_page(parent,
					    p->mem.extents[i].host + off);
}

enum vnr_status partition_destroy(struct hv_partition *p)
{
	enum vnr_status st;

	if (p->state != HV_PARTITION_STOPPED &&
	    p->state != HV_PARTITION_CREATED)
		return VNR_STATUS_INVALID_PARTITION_STATE;
	if (has_live_children(p) || p->deposits.count)
		return VNR_STATUS_INVALID_PARTITION_STATE;
	st = drop_grants(p);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	return_ram(p);
	for (u32 i = 0; i < p->vp_count; i++)
		vp_destroy(&p->vps[i]);
	if (p->grants.scratch)
		page_free_charged(&p->pool, p->grants.scratch);
	arch_partition_destroy(p);
	connections_drop_to(p->id);
	hv_log("partition %u '%s' destroyed\n", p->id, p->name);
	memset(p, 0, sizeof(*p)); /* state HV_PARTITION_FREE */
	return VNR_STATUS_SUCCESS;
}

static void dump_registers(struct hv_vp *vp)
{
	static const char *const names[HV_REG_COUNT] = {
#define VNR_REG(name, code, short_name) [code] = short_name,
#include <veneer/registers.def>
#undef VNR_REG
	};

	for (u32 r = 0; r < HV_REG_COUNT; r += 4) {
		char line[128];
		int n = 0;

		for (u32 i = r; i < r + 4 && i < HV_REG_COUNT; i++)
			n += hv_snprintf(line + n, sizeof(line) - n,
					 " %4s=%016llx", names[i],
					 (unsigned long long)arch_vp_get_reg(
						 vp, (enum hv_reg)i));
		hv_log("  %s\n", line);
	}
}

void partition_fault(struct hv_vp *vp, const char *fmt, ...)
{
	struct hv_partition *p = vp->partition;
	char what[96];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	partition_stop(p, false, 0, "%s at RIP 0x%llx (VP %u)", what,
		       (unsigned long long)arch_vp_get_reg(vp, HV_REG_RIP),
		       vp->index);
	dump_registers(vp);
}
