/* SPDX-License-Identifier: MIT */
#ifndef HV_SUMMARY_H
#define HV_SUMMARY_H

/* Prints per-partition results; returns how many did not exit with 0. */
int summary_print(void);

#endif /* HV_SUMMARY_H */
