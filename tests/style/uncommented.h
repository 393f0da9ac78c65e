/* SPDX-License-Identifier: MIT */
/* The style.contracts-catches test's input: a boundary without contracts. */
#ifndef TESTS_STYLE_UNCOMMENTED_H
#define TESTS_STYLE_UNCOMMENTED_H

/* Documented. */
int documented(void);
int documented_with_it(int);

int undocumented(void);

#endif /* TESTS_STYLE_UNCOMMENTED_H */
