/*
 * collect_documents.c — the "documents" section of facts.schema: the
 * documents marked MẬT, TỐI MẬT or TUYỆT MẬT that the last scan found
 * (canhgac-agent secrets, or the agent's scheduled scan in run.c). The
 * audit never scans: reading every document takes minutes to hours, so
 * the collector reads the scan's summary from the finder's cache file
 * (secrets-cache, default /var/lib/canhgac-agent/secrets.db; with --root,
 * that file inside the disk). docs/secrets-scan.md.
 */
#define _GNU_SOURCE	/* strptime, timegm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/collect.h"
#include "lib/json.h"
#include "lib/text.h"
#include "secrets/scan.h"

/* The cache file this audit reads. */
static char *
documents_db(struct collect_ctx *ctx)
{
	const struct conf_node *n = NULL;
	const char *path = SCAN_ROOT_DB;
	char buf[4096];

	if (ctx->conf != NULL &&
	    (n = conf_find(ctx->conf->first, "secrets-cache")) != NULL)
		path = n->args[0];
	else if (ctx->live && geteuid() != 0)
		path = scan_cache_default(buf, sizeof(buf));
	if (ctx->live || ctx->root == NULL || strcmp(ctx->root, "/") == 0)
		return text_dup(path);
	return text_printf("%s%s", ctx->root, path);
}

static long long
documents_time(const char *rfc3339)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (rfc3339 == NULL || strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ", &tm) ==
	    NULL)
		return -1;
	return (long long)timegm(&tm);
}

static json_t *
documents_found(json_t *docs)
{
	json_t *found = json_array(), *d, *f;
	size_t i;

	json_array_foreach(docs, i, d) {
		f = json_object();
		json_set_str(f, "path", json_str(d, "path", ""));
		json_set_str(f, "degree", json_str(d, "degree", ""));
		json_set_int(f, "confidence", json_int(d, "confidence", 0));
		json_set_str(f, "rule", json_str(d, "rule", ""));
		json_set_str(f, "part", json_str(d, "part", ""));
		json_set_int(f, "page", json_int(d, "page", 0));
		json_set_str(f, "sha256", json_str(d, "sha256", ""));
		json_set_int(f, "size", json_int(d, "size", 0));
		json_set_str(f, "mtime", json_str(d, "mtime", ""));
		json_array_append_new(found, f);
	}
	return found;
}

void
collect_documents(struct collect_ctx *ctx)
{
	json_t *scan = NULL, *sec, *stats, *roots, *r;
	char err[2048], *db = documents_db(ctx);
	long long at;
	size_t i;
	int rc;

	rc = scan_cache_load_last(db, &scan, err, sizeof(err));
	if (rc == 1) {
		collect_unavailable(ctx, "documents", "na", "chưa quét tài liệu "
		    "mật trên máy này — chạy “canhgac-agent secrets” (hoặc chờ "
		    "lần quét định kỳ của “canhgac-agent run”)", "no scan for "
		    "classified documents yet — run “canhgac-agent secrets” "
		    "(or wait for the scheduled scan of “canhgac-agent run”)");
		goto out;
	}
	if (rc != 0) {
		/* err is "<vi> — <en>" */
		char *en = strstr(err, " — ");

		if (en != NULL) {
			*en = '\0';
			en += strlen(" — ");
		}
		collect_unavailable(ctx, "documents", "error", err,
		    en != NULL ? en : err);
		goto out;
	}
	sec = collect_section(ctx, "documents");
	stats = json_object_get(scan, "stats");
	json_set_bool(sec, "scanned", true);
	json_set_str(sec, "scanned_at", json_str(scan, "scanned_at", ""));
	at = documents_time(json_str(scan, "scanned_at", NULL));
	json_set_int(sec, "scanned_days", at < 0 || ctx->now < at ? 0 :
	    (ctx->now - at) / 86400);
	roots = json_array();
	json_array_foreach(json_object_get(scan, "roots"), i, r)
		if (json_is_string(r))
			json_append_str(roots, json_string_value(r));
	json_object_set_new(sec, "roots", roots);
	json_set_bool(sec, "complete", json_bool(scan, "complete", false));
	json_set_bool(sec, "ocr", json_bool(scan, "ocr", false));
	json_object_set_new(sec, "found", documents_found(json_object_get(scan,
	    "documents")));
	json_set_int(sec, "unreadable_count", json_int(stats, "unreadable",
	    (long long)json_array_size(json_object_get(scan, "unreadable"))));
	json_set_int(sec, "scanned_only_count", json_int(stats,
	    "scanned_only", (long long)json_array_size(json_object_get(scan,
	    "scanned_only"))));
out:
	json_decref(scan);
	free(db);
}
