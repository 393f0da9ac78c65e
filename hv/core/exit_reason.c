/* SPDX-License-Identifier: MIT */
/* Names of the exit reasons the summary counts. */
#include <hv/exit.h>

static const char *const exit_names[HV_EXIT_COUNT] = {
#define HV_EXIT_NAME(name, text) [HV_EXIT_##name] = text,
	HV_EXIT_REASONS(HV_EXIT_NAME)
#undef HV_EXIT_NAME
};

const char *hv_exit_reason_name(enum hv_exit_reason reason)
{
	return reason < HV_EXIT_COUNT ? exit_names[reason] : "?";
}
