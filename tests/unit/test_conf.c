/*
 * test_conf.c — unit tests of src/lib/conf.c. Most cases are data: every
 * .conf file of tests/data/conf is loaded and its header says what must happen
 * (format in tests/data/conf/README.md); adding a case needs no C. The
 * cases that need a generated file (size, secret modes, counts) are here.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "lib/conf.h"
#include "lib/file.h"
#include "lib/text.h"

/* The keys used by "# validate" cases (tests/data/conf/README.md). */
static const struct conf_key tls_keys[] = {
	{ "min", 1, 1, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct conf_key server_keys[] = {
	{ "ca", 1, 1, NULL },
	{ "tls", 0, 0, tls_keys },
	{ NULL, 0, 0, NULL },
};
static const struct conf_key scan_keys[] = {
	{ "path", 1, 1, NULL },
	{ "exclude", 0, -1, NULL },
	{ "option", 1, 2, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct conf_key test_keys[] = {
	{ "level", 1, 1, NULL },
	{ "lang", 1, 1, NULL },
	{ "unit", 1, -1, NULL },
	{ "param", 2, 2, NULL },
	{ "disable", 1, -1, NULL },
	{ "scan", 0, 1, scan_keys },
	{ "server", 1, 1, server_keys },
	{ NULL, 0, 0, NULL },
};

static char tmpdir[64];

static int
group_setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/cg-test-conf-XXXXXX");
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Appends the tree of n in the dump format of the README. */
static void
dump(const struct conf_node *n, char *out, size_t size)
{
	for (; n != NULL; n = n->next) {
		size_t i;

		if (out[0] != '\0' && out[strlen(out) - 1] != '{')
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, n->key, size - strlen(out) - 1);
		strncat(out, "(", size - strlen(out) - 1);
		for (i = 0; i < n->nargs; i++) {
			const char *p;

			if (i > 0)
				strncat(out, ",", size - strlen(out) - 1);
			for (p = n->args[i]; *p != '\0'; p++) {
				const char *e = *p == '\n' ? "\\n" :
				    *p == '\t' ? "\\t" : *p == '\\' ? "\\\\" :
				    NULL;
				char one[2] = { *p, '\0' };

				strncat(out, e != NULL ? e : one,
				    size - strlen(out) - 1);
			}
		}
		strncat(out, ")", size - strlen(out) - 1);
		if (n->has_block) {
			strncat(out, "{", size - strlen(out) - 1);
			dump(n->child, out, size);
			strncat(out, "}", size - strlen(out) - 1);
		}
	}
}

/* Reads the header line starting with prefix; NULL when absent. */
static char *
header(const char *text, const char *prefix)
{
	const char *p = text, *end = text + strlen(text), *line;
	size_t len, plen = strlen(prefix);

	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (text_next_line(&p, end, &line, &len) && len > 0 &&
	    line[0] == '#')
		if (len >= plen && memcmp(line, prefix, plen) == 0)
			return text_ndup(line + plen, len - plen);
	return NULL;
}

/* Runs one data case; returns 0 when it behaves as its header says. */
static int
run_case(const char *path)
{
	char err[1024], *text, *expect, *want_dump, *validate;
	char got[4096] = "";
	size_t len;
	struct conf *c;
	int fail = 0, r;

	r = file_read_path(path, 1u << 20, &text, &len);
	if (r < 0) {
		print_error("%s: cannot read: %s\n", path, strerror(-r));
		return 1;
	}
	/* a NUL in a case stops the header scan there, not before */
	expect = header(text, "# expect: ");
	want_dump = header(text, "# dump:");
	validate = header(text, "# validate");
	free(text);
	if (expect == NULL) {
		print_error("%s: no “# expect:” line\n", path);
		free(want_dump);
		free(validate);
		return 1;
	}
	c = conf_load(path, 0, err, sizeof(err));
	if (c != NULL && validate != NULL &&
	    conf_validate(c, test_keys, err, sizeof(err)) != 0) {
		conf_free(c);
		c = NULL;
	}
	if (strcmp(expect, "ok") == 0) {
		if (c == NULL) {
			print_error("%s: expected ok, got: %s\n", path, err);
			fail = 1;
		} else if (want_dump != NULL) {
			dump(c->first, got, sizeof(got));
			if (strcmp(text_trim(want_dump), got) != 0) {
				print_error("%s: tree\n  want: %s\n"
				    "  got:  %s\n", path, want_dump, got);
				fail = 1;
			}
		}
	} else if (c != NULL) {
		print_error("%s: expected error “%s”, got ok\n", path, expect);
		fail = 1;
	} else {
		int line, col, n = 0;
		char pos[64];
		const char *sub = expect;

		if (strncmp(expect, "error: ", 7) == 0)
			sub = expect + 7;
		else if (sscanf(expect, "%d:%d: %n", &line, &col, &n) == 2 &&
		    n > 0) {
			sub = expect + n;
			snprintf(pos, sizeof(pos), ":%d:%d: ", line, col);
			if (strstr(err, pos) == NULL) {
				print_error("%s: want position %s in: %s\n",
				    path, pos, err);
				fail = 1;
			}
		} else {
			print_error("%s: bad expect line\n", path);
			fail = 1;
		}
		if (strstr(err, sub) == NULL) {
			print_error("%s: want “%s” in: %s\n", path, sub, err);
			fail = 1;
		}
		/* every message is bilingual: Vietnamese — English */
		if (strstr(err, " — ") == NULL) {
			print_error("%s: not bilingual: %s\n", path, err);
			fail = 1;
		}
	}
	conf_free(c);
	free(expect);
	free(want_dump);
	free(validate);
	return fail;
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

static void
test_data_cases(void **state)
{
	const char *dir = testutil_source("tests/data/conf");
	char **names, *d = text_dup(dir);
	size_t n, i, cases = 0;
	int rootfd, failed = 0;

	(void)state;
	rootfd = file_root_open(d);
	assert_true(rootfd >= 0);
	assert_int_equal(file_list(rootfd, "/", 1000, &names, &n), 0);
	for (i = 0; i < n; i++) {
		char *path;

		if (!has_suffix(names[i], ".conf"))
			continue;
		path = file_join(d, names[i]);
		failed += run_case(path);
		cases++;
		free(path);
	}
	file_list_free(names, n);
	close(rootfd);
	free(d);
	assert_true(cases >= 40);
	assert_int_equal(failed, 0);
}

static char *
write_tmp(const char *name, const char *text, size_t len, mode_t mode)
{
	char *path = file_join(tmpdir, name);

	assert_int_equal(file_write_atomic(path, text, len, mode), 0);
	return path;
}

static void
test_secret(void **state)
{
	char err[512], *path, *inc, *top;
	struct conf *c;

	(void)state;
	path = write_tmp("secret.conf", "key \"mật khẩu\"\n", 18, 0644);
	c = conf_load(path, CONF_SECRET, err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, "secret.conf: "));
	assert_non_null(strstr(err, "0644"));
	assert_non_null(strstr(err, "chmod 600"));
	assert_non_null(strstr(err, " — secret file has mode 0644"));
	/* without the flag the same file is fine */
	c = conf_load(path, 0, err, sizeof(err));
	assert_non_null(c);
	conf_free(c);
	assert_int_equal(chmod(path, 0600), 0);
	c = conf_load(path, CONF_SECRET, err, sizeof(err));
	assert_non_null(c);
	assert_string_equal(c->first->args[0], "mật khẩu");
	conf_free(c);
	assert_int_equal(chmod(path, 0620), 0);	/* group-writable */
	assert_null(conf_load(path, CONF_SECRET, err, sizeof(err)));
	/* an included file is checked too */
	inc = write_tmp("inc-open.conf", "x 1\n", 4, 0604);
	top = write_tmp("top.conf", "include inc-open.conf\n", 22, 0600);
	assert_null(conf_load(top, CONF_SECRET, err, sizeof(err)));
	assert_non_null(strstr(err, "inc-open.conf: "));
	assert_non_null(strstr(err, "0604"));
	/* owned by someone else (needs root to set up) */
	if (geteuid() == 0) {
		assert_int_equal(chmod(path, 0600), 0);
		assert_int_equal(chown(path, 12345, 12345), 0);
		assert_null(conf_load(path, CONF_SECRET, err, sizeof(err)));
		assert_non_null(strstr(err, "owned by uid 12345"));
	}
	free(path);
	free(inc);
	free(top);
}

static void
test_size_limit(void **state)
{
	char err[512], *path, *big;
	size_t n = CONF_MAX_SIZE + 1, i;
	struct conf *c;

	(void)state;
	big = malloc(n);
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = i % 64 == 63 ? '\n' : '#';
	path = write_tmp("big.conf", big, n, 0600);
	assert_null(conf_load(path, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "big.conf: "));
	assert_non_null(strstr(err, "limit"));
	assert_null(conf_parse(big, n, "big", err, sizeof(err)));
	/* one byte less is accepted (comments only) */
	free(path);
	path = write_tmp("big.conf", big, n - 1, 0600);
	c = conf_load(path, 0, err, sizeof(err));
	assert_non_null(c);
	assert_null(c->first);
	conf_free(c);
	free(path);
	free(big);
}

static void
test_statement_limit(void **state)
{
	char err[512], *text;
	size_t n = 100001, i;
	struct conf *c;

	(void)state;
	text = malloc(n * 2);
	assert_non_null(text);
	for (i = 0; i < n; i++) {
		text[2 * i] = 'k';
		text[2 * i + 1] = ';';
	}
	c = conf_parse(text, n * 2, "many", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, "many:1:200001: "));
	assert_non_null(strstr(err, "too many statements"));
	c = conf_parse(text, (n - 1) * 2, "many", err, sizeof(err));
	assert_non_null(c);
	conf_free(c);
	free(text);
}

static void
test_parse_and_find(void **state)
{
	static const char text[] =
	    "disable A\nlevel 2\ndisable B C\nblock {\n disable D\n}\n"
	    "disable E\n";
	char err[256];
	const struct conf_node *n;
	struct conf *c;

	(void)state;
	c = conf_parse(text, sizeof(text) - 1, "agent.conf", err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(c->nfiles, 1);
	assert_string_equal(c->files[0], "agent.conf");
	n = conf_find(c->first, "disable");
	assert_non_null(n);
	assert_string_equal(n->args[0], "A");
	assert_string_equal(n->file, "agent.conf");
	assert_int_equal(n->line, 1);
	assert_int_equal(n->col, 1);
	n = conf_next(n);
	assert_non_null(n);
	assert_int_equal(n->nargs, 2);
	assert_string_equal(n->args[1], "C");
	assert_int_equal(n->line, 3);
	n = conf_next(n);
	assert_non_null(n);
	assert_string_equal(n->args[0], "E");	/* not D: inside a block */
	assert_null(conf_next(n));
	n = conf_find(c->first, "block");
	assert_true(n->has_block);
	assert_string_equal(conf_find(n->child, "disable")->args[0], "D");
	assert_int_equal(n->child->col, 2);
	assert_null(conf_find(c->first, "nothing"));
	assert_null(conf_next(NULL));
	conf_free(c);

	/* include is refused by conf_parse */
	c = conf_parse("include x.conf\n", 15, "t", err, sizeof(err));
	assert_null(c);
	assert_string_equal(err, "t:1:1: không dùng được “include” ở đây — "
	    "“include” is not allowed here");
	/* the example of the documentation */
	c = conf_parse("lang vi\nlevel 3\nunit \"abc", 25, "agent.conf",
	    err, sizeof(err));
	assert_null(c);
	assert_string_equal(err, "agent.conf:3:6: thiếu dấu đóng ngoặc kép — "
	    "unterminated string");
	/* no error buffer: no crash */
	assert_null(conf_parse("}", 1, "t", NULL, 0));
	c = conf_parse(NULL, 0, NULL, err, sizeof(err));
	assert_non_null(c);
	assert_null(c->first);
	conf_free(c);
	assert_int_equal(conf_validate(NULL, test_keys, err, sizeof(err)), -1);
}

/* A glob include from a directory whose name has glob characters. */
static void
test_include_from_odd_dir(void **state)
{
	char err[512], *dir, *sub, *path;
	struct conf *c;

	(void)state;
	dir = file_join(tmpdir, "odd[1]*");
	sub = file_join(dir, "d");
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	path = file_join(sub, "a.conf");
	assert_int_equal(file_write_atomic(path, "a 1\n", 4, 0600), 0);
	free(path);
	path = file_join(dir, "top.conf");
	assert_int_equal(file_write_atomic(path, "include d/*.conf\nb 2\n",
	    21, 0600), 0);
	c = conf_load(path, 0, err, sizeof(err));
	assert_non_null(c);
	assert_string_equal(c->first->key, "a");
	assert_non_null(strstr(c->first->file, "odd[1]*/d/a.conf"));
	assert_int_equal(c->nfiles, 2);
	assert_string_equal(c->first->next->key, "b");
	conf_free(c);
	free(path);
	free(sub);
	free(dir);
}

static void
test_load_errors(void **state)
{
	char err[512];

	(void)state;
	assert_null(conf_load("/nonexistent/agent.conf", 0, err, sizeof(err)));
	assert_string_equal(err, "/nonexistent/agent.conf: không mở được "
	    "tệp: không tồn tại tệp hoặc thư mục — cannot open: No such file "
	    "or directory");
	assert_null(conf_load("/dev/null", 0, err, sizeof(err)));
	assert_non_null(strstr(err, "not a regular file"));
	assert_null(conf_load("", 0, err, sizeof(err)));
	assert_null(conf_load(NULL, 0, NULL, 0));
}

static void
test_truncated_error_buffer(void **state)
{
	char err[16];

	(void)state;
	memset(err, 'x', sizeof(err));
	assert_null(conf_parse("a \"b", 4, "a-long-file-name.conf", err,
	    sizeof(err)));
	assert_int_equal(strlen(err), sizeof(err) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_cases),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_statement_limit),
		cmocka_unit_test(test_parse_and_find),
		cmocka_unit_test(test_include_from_odd_dir),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_truncated_error_buffer),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
