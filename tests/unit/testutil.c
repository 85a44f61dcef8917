/*
 * testutil.c — see testutil.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "lib/file.h"
#include "lib/json.h"

const char *
testutil_tree(const char *name)
{
	static char buf[4096];
	const char *base = getenv("CG_FIXTURES");

	snprintf(buf, sizeof(buf), "%s/%s", base ? base : "build/fixtures",
	    name);
	return buf;
}

const char *
testutil_source(const char *rel)
{
	static char buf[4096];
	const char *base = getenv("CG_SOURCE");

	snprintf(buf, sizeof(buf), "%s/%s", base ? base : ".", rel);
	return buf;
}

void
testutil_ctx(struct collect_ctx *ctx, const char *tree, json_t *params)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->root = strdup(testutil_tree(tree));
	ctx->rootfd = file_root_open(ctx->root);
	if (ctx->rootfd < 0) {
		fprintf(stderr, "testutil: cannot open tree %s\n", ctx->root);
		abort();
	}
	ctx->live = false;
	ctx->privileged = geteuid() == 0;
	ctx->now = time(NULL);
	ctx->params = params;
	ctx->facts = json_object();
	ctx->unavailable = json_object();
}

void
testutil_ctx_free(struct collect_ctx *ctx)
{
	close(ctx->rootfd);
	free((char *)ctx->root);
	json_decref(ctx->facts);
	json_decref(ctx->unavailable);
}

json_t *
testutil_fact(struct collect_ctx *ctx, const char *path)
{
	return json_path(ctx->facts, path);
}

json_t *
testutil_item(json_t *list, const char *field, const char *value)
{
	size_t i;
	json_t *it;

	json_array_foreach(list, i, it) {
		const char *s = json_string_value(json_object_get(it, field));
		if (s != NULL && strcmp(s, value) == 0)
			return it;
	}
	return NULL;
}

const char *
testutil_unavailable(struct collect_ctx *ctx, const char *path)
{
	json_t *u = json_object_get(ctx->unavailable, path);

	return u ? json_string_value(json_object_get(u, "status")) : NULL;
}

int
testutil_as_nobody(int (*child)(void))
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) < 0 ||
		    setgid(65534) < 0 || setuid(65534) < 0))
			_exit(2);
		_exit(child());
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}
