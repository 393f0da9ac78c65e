// SPDX-License-Identifier: MIT
/* Check bookkeeping and fault catching for the test guests. */
#include <vnr_test.h>

static const char *guest_name = "?";
static unsigned int passed, failed;

static unsigned int catch_vector;
static unsigned int catch_len;
static int caught_vector = -1;
static vnr_u64 caught_error;

void vnr_test_begin(const char *guest)
{
	guest_name = guest;
	vnr_printf("TEST %s: BEGIN\n", guest);
}

int vnr_test_done(void)
{
	vnr_printf("TEST %s: DONE passed=%u failed=%u\n", guest_name, passed,
		   failed);
	return failed < VNR_TEST_EXIT_MAX ? (int)failed : VNR_TEST_EXIT_MAX;
}

void vnr_test_note(const char *fmt, ...)
{
	va_list ap;

	vnr_printf("TEST %s: ", guest_name);
	va_start(ap, fmt);
	vnr_vprintf(fmt, ap);
	va_end(ap);
	vnr_putc('\n');
}

void vnr_test_run_mode(const struct vnr_test_mode *modes, unsigned int count,
		       const char *name)
{
	for (unsigned int i = 0; i < count; i++) {
		if (!strcmp(modes[i].name, name)) {
			modes[i].run();
			return;
		}
	}
	vnr_test_note("no mode %s", name);
	VNR_EXPECT(!"a known mode");
}

bool vnr_test_check_quiet(bool ok, const char *file, int line, const char *what,
			  vnr_u64 got, vnr_u64 want)
{
	if (ok) {
		passed++;
		return true;
	}
	failed++;
	vnr_printf("TEST %s: FAIL %s:%d: %s (got 0x%lx, want 0x%lx)\n",
		   guest_name, file, line, what, got, want);
	return false;
}

bool vnr_test_check(bool ok, const char *file, int line, const char *what,
		    vnr_u64 got, vnr_u64 want)
{
	if (ok)
		vnr_printf("TEST %s: PASS %s\n", guest_name, what);
	return vnr_test_check_quiet(ok, file, line, what, got, want);
}

static bool catch_handler(struct vnr_exception_frame *f)
{
	caught_vector = (int)f->vector;
	caught_error = f->error_code;
	f->rip += catch_len;
	return true;
}

void vnr_test_catch(unsigned int vector, unsigned int insn_len)
{
	catch_vector = vector;
	catch_len = insn_len;
	caught_vector = -1;
	caught_error = 0;
	vnr_set_exception_handler(vector, catch_handler);
}

int vnr_test_caught(vnr_u64 *error_code)
{
	vnr_set_exception_handler(catch_vector, NULL);
	if (error_code)
		*error_code = caught_error;
	return caught_vector;
}
