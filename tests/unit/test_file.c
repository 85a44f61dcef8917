/*
 * test_file.c — unit tests of src/lib/file.c: reads stay inside the root
 * against absolute symlinks, ".." and loops; FIFOs do not hang; sizes are
 * bounded; atomic writes leave no temporary file. The same escapes are
 * replayed with openat2 disabled by seccomp to test the fallback.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cmocka.h>

#include "testutil.h"
#include "lib/file.h"

static char tree[64];
static int rootfd = -1;

static void
put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
link_at(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	assert_int_equal(symlink(target, path), 0);
}

static void
mkdir_at(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static int
group_setup(void **state)
{
	char path[512];
	FILE *f;
	size_t i;

	(void)state;
	strcpy(tree, "/tmp/cg-test-file-XXXXXX");
	if (mkdtemp(tree) == NULL)
		return -1;
	chmod(tree, 0755);
	mkdir_at("etc");
	put("etc/passwd", "inside:x:0:0::/root:/bin/sh\n");
	put("etc/empty", "");
	put("etc/crlf", "a\r\nb");
	link_at("/etc/passwd", "link_abs");
	link_at("../../../../../../etc/passwd", "link_up");
	link_at("loop2", "loop1");
	link_at("loop1", "loop2");
	link_at("/", "slash");
	link_at("/proc/self/root", "magic");
	mkdir_at("dir");
	put("dir/b", "b");
	put("dir/a", "a");
	put("dir/c", "c");
	mkdir_at("dir/sub");
	link_at("../etc", "dir/etclink");
	snprintf(path, sizeof(path), "%s/fifo", tree);
	if (mkfifo(path, 0644) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/big", tree);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	for (i = 0; i < 2u << 20; i++)
		fputc('a' + (int)(i % 26), f);
	fclose(f);
	mkdir_at("out");
	rootfd = file_root_open(tree);
	return rootfd < 0 ? -1 : 0;
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int
group_teardown(void **state)
{
	(void)state;
	close(rootfd);
	nftw(tree, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void
expect_inside(int fd, const char *path)
{
	char *buf = NULL;
	size_t len = 0;

	assert_int_equal(file_read(fd, path, FILE_MAX_SMALL, &buf, &len), 0);
	assert_string_equal(buf, "inside:x:0:0::/root:/bin/sh\n");
	assert_int_equal(len, strlen(buf));
	free(buf);
}

static void
test_root_open(void **state)
{
	(void)state;
	assert_int_equal(file_root_open("/nonexistent/cg"), -ENOENT);
	assert_int_equal(file_root_open(""), -EINVAL);
	assert_true(file_root_open("/etc/passwd") == -ENOTDIR);
}

static void
test_read_inside_root(void **state)
{
	(void)state;
	expect_inside(rootfd, "etc/passwd");
	expect_inside(rootfd, "/etc/passwd");
	expect_inside(rootfd, "/link_abs");
	expect_inside(rootfd, "link_up");
	expect_inside(rootfd, "../../../etc/passwd");
	expect_inside(rootfd, "/../../etc/../etc/./passwd");
	expect_inside(rootfd, "slash/etc/passwd");
	expect_inside(rootfd, "dir/etclink/passwd");
	expect_inside(rootfd, "dir/sub/../etclink/passwd");
}

static void
test_read_errors(void **state)
{
	char *buf = (char *)"unchanged";
	size_t len = 7;

	(void)state;
	assert_int_equal(file_read(rootfd, "loop1", FILE_MAX_SMALL, &buf,
	    &len), -ELOOP);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_int_equal(file_read(rootfd, "missing", FILE_MAX_SMALL, &buf,
	    &len), -ENOENT);
	assert_int_equal(file_read(rootfd, "dir", FILE_MAX_SMALL, &buf,
	    &len), -EINVAL);
	assert_int_equal(file_read(rootfd, "etc/passwd/x", FILE_MAX_SMALL,
	    &buf, &len), -ENOTDIR);
	/* "/proc/self/root" inside the tree is looked up inside it */
	assert_int_equal(file_read(rootfd, "magic/etc/passwd", FILE_MAX_SMALL,
	    &buf, &len), -ENOENT);
	assert_int_equal(file_read(-1, "etc/passwd", 10, &buf, &len), -EBADF);
}

/* On the running system, procfs magic links are refused, not followed. */
static void
test_magic_links(void **state)
{
	char *buf = NULL, path[64];
	size_t len;
	int sys, fd;

	(void)state;
	sys = file_root_open("/");
	assert_true(sys >= 0);
	assert_int_equal(file_read(sys, "/proc/self/root/etc/hostname",
	    FILE_MAX_SMALL, &buf, &len), -ELOOP);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	assert_int_equal(file_read(sys, path, 10, &buf, &len), -ELOOP);
	close(fd);
	/* plain procfs files are fine */
	assert_int_equal(file_read(sys, "/proc/self/stat", FILE_MAX_SMALL,
	    &buf, &len), 0);
	assert_true(len > 10);
	free(buf);
	close(sys);
}

static void
test_read_fifo_does_not_hang(void **state)
{
	char *buf = NULL;
	size_t len;
	const char *map;

	(void)state;
	alarm(10);
	assert_int_equal(file_read(rootfd, "fifo", FILE_MAX_SMALL, &buf,
	    &len), -EINVAL);
	assert_int_equal(file_map(rootfd, "fifo", FILE_MAX_SMALL, &map, &len),
	    -EINVAL);
	alarm(0);
}

static void
test_read_limits(void **state)
{
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(file_read(rootfd, "big", FILE_MAX_SMALL, &buf, &len),
	    -EFBIG);
	assert_null(buf);
	assert_int_equal(file_read(rootfd, "big", 2u << 20, &buf, &len), 0);
	assert_int_equal(len, 2u << 20);
	assert_int_equal(buf[0], 'a');
	assert_int_equal(buf[len - 1], 'a' + (int)((len - 1) % 26));
	assert_int_equal(buf[len], '\0');
	free(buf);
	assert_int_equal(file_read(rootfd, "big", (2u << 20) - 1, &buf,
	    &len), -EFBIG);
	assert_int_equal(file_read(rootfd, "etc/empty", 0, &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
}

static void
test_read_procfs(void **state)
{
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	/* procfs says size 0: read to the end, bounded all the same */
	assert_int_equal(file_read_path("/proc/self/status", FILE_MAX_SMALL,
	    &buf, &len), 0);
	assert_true(len > 20);
	assert_non_null(strstr(buf, "Pid:"));
	free(buf);
	assert_int_equal(file_read_path("/proc/self/status", 16, &buf, &len),
	    -EFBIG);
	assert_null(buf);
}

static void
test_read_fd(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	int fd;

	(void)state;
	fd = file_open(rootfd, "etc/crlf", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(file_read_fd(fd, 100, &buf, &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, "a\r\nb", 4);
	free(buf);
	close(fd);
	fd = file_open(rootfd, "dir", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(file_read_fd(fd, 100, &buf, &len), -EINVAL);
	close(fd);
}

static void
test_unreadable(void **state)
{
	char path[512], *buf = NULL;
	size_t len;
	pid_t pid;
	int st;

	(void)state;
	put("secret", "x");
	snprintf(path, sizeof(path), "%s/secret", tree);
	assert_int_equal(chmod(path, 0), 0);
	if (geteuid() != 0) {
		assert_int_equal(file_read(rootfd, "secret", 100, &buf, &len),
		    -EACCES);
		return;
	}
	/* as root: check from a child that drops to "nobody" */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) != 0 ||
		    setresuid(65534, 65534, 65534) != 0)
			_exit(2);
		_exit(file_read(rootfd, "secret", 100, &buf, &len) == -EACCES ?
		    0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_map(void **state)
{
	const char *map = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(file_map(rootfd, "/link_abs", 1000, &map, &len), 0);
	assert_int_equal(len, 28);
	assert_memory_equal(map, "inside:", 7);
	file_unmap(map, len);
	assert_int_equal(file_map(rootfd, "etc/empty", 1000, &map, &len), 0);
	assert_null(map);
	assert_int_equal(len, 0);
	file_unmap(map, len);
	assert_int_equal(file_map(rootfd, "big", 1u << 20, &map, &len),
	    -EFBIG);
	assert_int_equal(file_map(rootfd, "loop1", 100, &map, &len), -ELOOP);
}

static void
test_stat(void **state)
{
	struct stat st, st2;

	(void)state;
	assert_int_equal(file_stat(rootfd, "link_abs", &st, false), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(file_stat(rootfd, "link_abs", &st, true), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 28);
	assert_int_equal(file_stat(rootfd, "/etc/passwd/", &st, false),
	    -ENOTDIR);
	assert_int_equal(file_stat(rootfd, "dir/", &st, false), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* ".." of the root is the root */
	assert_int_equal(file_stat(rootfd, "/", &st, false), 0);
	assert_int_equal(file_stat(rootfd, "/..", &st2, false), 0);
	assert_int_equal(st.st_ino, st2.st_ino);
	assert_int_equal(file_stat(rootfd, "../..", &st2, true), 0);
	assert_int_equal(st.st_ino, st2.st_ino);
	assert_int_equal(file_stat(rootfd, "loop1", &st, true), -ELOOP);
	assert_int_equal(file_stat(rootfd, "loop1", &st, false), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(file_stat(rootfd, "fifo", &st, true), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_true(file_exists(rootfd, "/link_up"));
	assert_true(file_exists(rootfd, "dir/sub"));
	assert_false(file_exists(rootfd, "loop1"));
	assert_false(file_exists(rootfd, "nope"));
}

static void
test_list(void **state)
{
	char **names = NULL;
	size_t n = 9;

	(void)state;
	assert_int_equal(file_list(rootfd, "/dir", 100, &names, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(names[0], "a");
	assert_string_equal(names[1], "b");
	assert_string_equal(names[2], "c");
	assert_string_equal(names[3], "etclink");
	assert_string_equal(names[4], "sub");
	file_list_free(names, n);
	assert_int_equal(file_list(rootfd, "dir", 4, &names, &n), -E2BIG);
	assert_null(names);
	assert_int_equal(n, 0);
	assert_int_equal(file_list(rootfd, "dir/sub", 4, &names, &n), 0);
	assert_int_equal(n, 0);
	file_list_free(names, n);
	/* through an absolute link to "/": the root's own listing */
	assert_int_equal(file_list(rootfd, "slash/dir/etclink", 10, &names,
	    &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "crlf");
	assert_string_equal(names[2], "passwd");
	file_list_free(names, n);
	assert_int_equal(file_list(rootfd, "etc/passwd", 4, &names, &n),
	    -ENOTDIR);
	assert_int_equal(file_list(rootfd, "loop1", 4, &names, &n), -ELOOP);
}

static void
test_readlink(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(file_readlink(rootfd, "link_abs", buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, "/etc/passwd");
	assert_int_equal(file_readlink(rootfd, "/slash/dir/etclink", buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "../etc");
	assert_int_equal(file_readlink(rootfd, "link_abs", buf, 5),
	    -ENAMETOOLONG);
	assert_int_equal(file_readlink(rootfd, "etc/passwd", buf,
	    sizeof(buf)), -EINVAL);
	assert_int_equal(file_readlink(rootfd, "/", buf, sizeof(buf)),
	    -EINVAL);
	assert_int_equal(file_readlink(rootfd, "nope", buf, sizeof(buf)),
	    -ENOENT);
}

static size_t
count_entries(const char *dir)
{
	int fd = file_root_open(dir);
	char **names;
	size_t n = 0;

	assert_true(fd >= 0);
	assert_int_equal(file_list(fd, "/", 1000, &names, &n), 0);
	file_list_free(names, n);
	close(fd);
	return n;
}

static void
test_write_atomic(void **state)
{
	char path[512], dir[512], *buf;
	struct stat st;
	size_t len;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/out", tree);
	snprintf(path, sizeof(path), "%s/out/state.json", tree);
	assert_int_equal(file_write_atomic(path, "{\"a\":1}", 7, 0640), 0);
	assert_int_equal(file_read_path(path, 100, &buf, &len), 0);
	assert_string_equal(buf, "{\"a\":1}");
	free(buf);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	/* replaces the content, mode as asked, nothing left beside it */
	assert_int_equal(file_write_atomic(path, "trạng thái", 13, 0600), 0);
	assert_int_equal(file_read_path(path, 100, &buf, &len), 0);
	assert_string_equal(buf, "trạng thái");
	free(buf);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(count_entries(dir), 1);
	assert_int_equal(file_write_atomic(path, "", 0, 0600), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	/* errors leave nothing behind */
	snprintf(path, sizeof(path), "%s/out/missing/x", tree);
	assert_int_equal(file_write_atomic(path, "x", 1, 0600), -ENOENT);
	snprintf(path, sizeof(path), "%s/out/adir", tree);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_true(file_write_atomic(path, "x", 1, 0600) < 0);
	assert_int_equal(count_entries(dir), 2);
	assert_int_equal(file_write_atomic("/", "x", 1, 0600), -EISDIR);
}

static void
test_join(void **state)
{
	char *s;

	(void)state;
	s = file_join("/etc/", "/passwd");
	assert_string_equal(s, "/etc/passwd");
	free(s);
	s = file_join("/etc", "apt/sources.list.d");
	assert_string_equal(s, "/etc/apt/sources.list.d");
	free(s);
	s = file_join("/", "etc");
	assert_string_equal(s, "/etc");
	free(s);
	s = file_join("home//", "//user");
	assert_string_equal(s, "home/user");
	free(s);
}

/* Makes openat2 answer ENOSYS in this process, as on an old kernel. */
static int
disable_openat2(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

/* The escape cases again in a child where openat2 is missing. Each
 * failed expectation gives a distinct exit code. */
static int
fallback_child(void)
{
	static const char *inside[] = { "etc/passwd", "/etc/passwd",
		"/link_abs", "link_up", "../../../etc/passwd",
		"slash/etc/passwd", "dir/etclink/passwd",
		"dir/sub/../etclink/passwd", "slash/slash/link_abs" };
	struct stat st;
	char *buf, **names;
	size_t i, len, n;
	int fd;

	if (disable_openat2() != 0)
		return 100;
	fd = file_root_open(tree);
	if (fd < 0)
		return 101;
	if (syscall(SYS_openat2, fd, ".", NULL, 0) != -1 || errno != ENOSYS)
		return 102;
	for (i = 0; i < sizeof(inside) / sizeof(inside[0]); i++) {
		if (file_read(fd, inside[i], 100, &buf, &len) != 0)
			return 10 + (int)i;
		if (strcmp(buf, "inside:x:0:0::/root:/bin/sh\n") != 0)
			return 30 + (int)i;
		free(buf);
	}
	if (file_read(fd, "loop1", 100, &buf, &len) != -ELOOP)
		return 50;
	if (file_read(fd, "fifo", 100, &buf, &len) != -EINVAL)
		return 51;
	if (file_stat(fd, "link_abs", &st, false) != 0 || !S_ISLNK(st.st_mode))
		return 52;
	if (file_stat(fd, "link_abs", &st, true) != 0 || st.st_size != 28)
		return 53;
	if (file_list(fd, "slash/dir", 10, &names, &n) != 0 || n != 5)
		return 54;
	file_list_free(names, n);
	if (file_read(fd, "missing/x", 100, &buf, &len) != -ENOENT)
		return 55;
	if (file_read(fd, "etc/passwd/x", 100, &buf, &len) != -ENOTDIR)
		return 56;
	if (file_stat(fd, "etc/passwd/", &st, false) != -ENOTDIR)
		return 57;
	if (file_stat(fd, "/..", &st, false) != 0 || !S_ISDIR(st.st_mode))
		return 58;
	close(fd);
	return 0;
}

static void
test_fallback_without_openat2(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fallback_child());
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_open),
		cmocka_unit_test(test_read_inside_root),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_magic_links),
		cmocka_unit_test(test_read_fifo_does_not_hang),
		cmocka_unit_test(test_read_limits),
		cmocka_unit_test(test_read_procfs),
		cmocka_unit_test(test_read_fd),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_readlink),
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_fallback_without_openat2),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
