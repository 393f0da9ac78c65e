/* SPDX-License-Identifier: MIT */
/*
 * In-guest test framework.
 *
 * Every check prints one line that the integration harness parses:
 *
 *   TEST <guest>: PASS <what>
 *   TEST <guest>: FAIL <file>:<line>: <what> (got 0x.., want 0x..)
 *   TEST <guest>: DONE passed=N failed=M
 *
 * vnr_test_done() returns the failure count, clamped below the exit
 * statuses the library reserves, for vnr_main() to return.
 */
#ifndef VNR_TEST_H
#define VNR_TEST_H

#include <vnr_guest/guest.h>

/* The largest exit status a test guest returns. */
#define VNR_TEST_EXIT_MAX 0xDE

void vnr_test_begin(const char *guest);
int vnr_test_done(void);
/* Prints an informational line: "TEST <guest>: <text>". */
void vnr_test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One of a guest's modes: its name (mode=NAME on the command line), its body.
 */
struct vnr_test_mode {
	const char *name;
	void (*run)(void);
};

/* Runs the mode of modes[0..count) called name; any other name fails. */
void vnr_test_run_mode(const struct vnr_test_mode *modes, unsigned int count,
		       const char *name);

/* Records one check; returns ok. */
bool vnr_test_check(bool ok, const char *file, int line, const char *what,
		    vnr_u64 got, vnr_u64 want);
/* Counts a check but prints only a failure, for checks in bulk. */
bool vnr_test_check_quiet(bool ok, const char *file, int line, const char *what,
			  vnr_u64 got, vnr_u64 want);

#define VNR_EXPECT(cond)                                                     \
	({                                                                   \
		bool ok_ = (cond);                                           \
		vnr_test_check(ok_, __FILE_NAME__, __LINE__, #cond, ok_, 1); \
	})

#define VNR_EXPECT_EQ(a, b)                                       \
	({                                                        \
		vnr_u64 a_ = (vnr_u64)(a), b_ = (vnr_u64)(b);     \
		vnr_test_check(a_ == b_, __FILE_NAME__, __LINE__, \
			       #a " == " #b, a_, b_);             \
	})

/* Compares the status field of a hypercall result word. */
#define VNR_EXPECT_STATUS(result, status)                               \
	({                                                              \
		vnr_u64 st_ = vnr_hc_status(result);                    \
		vnr_test_check(st_ == (vnr_u64)(status), __FILE_NAME__, \
			       __LINE__, #result " -> " #status, st_,   \
			       (vnr_u64)(status));                      \
	})

/* VNR_EXPECT_EQ with a description computed at run time. */
#define VNR_EXPECT_EQ_AS(what, a, b)                                        \
	({                                                                  \
		vnr_u64 a_ = (vnr_u64)(a), b_ = (vnr_u64)(b);               \
		vnr_test_check(a_ == b_, __FILE_NAME__, __LINE__, what, a_, \
			       b_);                                         \
	})

/*
 * Expecting a fault: vnr_test_catch(vector, len) makes the next exception
 * with that vector resume len bytes after the faulting instruction (the
 * caller knows the length of the one instruction it executes), and
 * vnr_test_caught() then returns the vector seen, or -1 for none, and
 * disarms the catch.
 */
void vnr_test_catch(unsigned int vector, unsigned int insn_len);
int vnr_test_caught(vnr_u64 *error_code);

/* xorshift64*: reproducible pseudo-random numbers from a printed seed. */
static inline vnr_u64 vnr_test_rand(vnr_u64 *state)
{
	vnr_u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

#endif /* VNR_TEST_H */
