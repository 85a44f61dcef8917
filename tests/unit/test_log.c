/*
 * test_log.c — unit tests of src/lib/log.c: the program-name prefix,
 * strerror for warn and fatal, filtering by verbosity, exit status 1 of
 * fatal and fatalx (in child processes), and syslog mode not writing to
 * stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "lib/log.h"

/* Runs fn with stderr sent to a temporary file; returns what it wrote. */
static char *
capture(void (*fn)(void))
{
	static char out[4096];
	FILE *tmp = tmpfile();
	int saved, fd;
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = fileno(tmp);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	fn();
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static void
emit_all(void)
{
	log_debug("gỡ lỗi %d", 2);
	log_info("thông tin %s", "i");
	errno = ENOENT;
	log_warn("không mở được %s", "/etc/x");
	log_warnx("cảnh báo %d", 1);
}

static void
test_verbosity_0(void **state)
{
	char *out;

	(void)state;
	log_init("/usr/sbin/canhgac-agent", LOG_TO_STDERR, 0);
	assert_int_equal(log_verbosity(), 0);
	out = capture(emit_all);
	assert_string_equal(out,
	    "canhgac-agent: không mở được /etc/x: No such file or directory\n"
	    "canhgac-agent: cảnh báo 1\n");
}

static void
test_verbosity_2(void **state)
{
	char *out;

	(void)state;
	log_init("canhgacd", LOG_TO_STDERR, 2);
	assert_int_equal(log_verbosity(), 2);
	out = capture(emit_all);
	assert_string_equal(out,
	    "canhgacd: gỡ lỗi 2\n"
	    "canhgacd: thông tin i\n"
	    "canhgacd: không mở được /etc/x: No such file or directory\n"
	    "canhgacd: cảnh báo 1\n");
}

static void
warn_keeps_errno(void)
{
	errno = EACCES;
	log_warnx("x");
	assert_int_equal(errno, EACCES);
	log_warn("y");
	assert_int_equal(errno, EACCES);
}

static void
test_errno_kept(void **state)
{
	char *out;

	(void)state;
	log_init("t", LOG_TO_STDERR, 0);
	out = capture(warn_keeps_errno);
	assert_string_equal(out, "t: x\nt: y: Permission denied\n");
}

static void
long_message(void)
{
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_warnx("%s", big);
}

static void
test_long_message_truncated(void **state)
{
	char *out;

	(void)state;
	log_init("t", LOG_TO_STDERR, 0);
	out = capture(long_message);
	assert_true(strlen(out) > 1000);
	assert_true(strlen(out) < 2100);
	assert_int_equal(out[strlen(out) - 1], '\n');
}

/* Runs fn in a child with stderr to a pipe; returns its exit status and
 * output. */
static int
run_child(void (*fn)(void), char *out, size_t size)
{
	int p[2], st;
	ssize_t n;
	size_t used = 0;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDERR_FILENO);
		fn();
		_exit(99);
	}
	close(p[1]);
	while (used + 1 < size &&
	    (n = read(p[0], out + used, size - 1 - used)) > 0)
		used += (size_t)n;
	out[used] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
do_fatal(void)
{
	log_init("agent", LOG_TO_STDERR, 0);
	errno = EROFS;
	log_fatal("ghi %s", "queue.db");
}

static void
do_fatalx(void)
{
	log_init("agent", LOG_TO_STDERR, 0);
	log_fatalx("cấu hình sai — bad configuration");
}

static void
do_syslog(void)
{
	log_init("canhgac-test", LOG_TO_SYSLOG, 2);
	log_info("test_log: syslog mode");
	log_warnx("test_log: syslog mode");
	_exit(0);
}

static void
test_fatal(void **state)
{
	char out[512];

	(void)state;
	assert_int_equal(run_child(do_fatal, out, sizeof(out)), 1);
	assert_string_equal(out, "agent: ghi queue.db: Read-only file "
	    "system\n");
	assert_int_equal(run_child(do_fatalx, out, sizeof(out)), 1);
	assert_string_equal(out, "agent: cấu hình sai — bad configuration\n");
}

static void
test_syslog_not_stderr(void **state)
{
	char out[512];

	(void)state;
	assert_int_equal(run_child(do_syslog, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verbosity_0),
		cmocka_unit_test(test_verbosity_2),
		cmocka_unit_test(test_errno_kept),
		cmocka_unit_test(test_long_message_truncated),
		cmocka_unit_test(test_fatal),
		cmocka_unit_test(test_syslog_not_stderr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
