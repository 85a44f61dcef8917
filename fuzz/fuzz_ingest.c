/*
 * fuzz_ingest.c — libFuzzer harness for what the server takes from an
 * agent: arbitrary bytes are parsed as a batch (ingest_parse, with the
 * default limits and with small ones) and inflated as a gzip or zlib body
 * (ingest_inflate, bounded); an inflated body is parsed in turn. An
 * accepted batch is walked whole, so that every pointer it hands out is
 * read under the sanitizers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t fuzz_sink;

static void
fuzz_touch(const char *s)
{
	if (s != NULL)
		fuzz_sink += strlen(s);
}

static void
fuzz_parse(const char *buf, size_t len, const struct ingest_limits *lim)
{
	struct ingest_batch b;
	char err[512];
	size_t i, j;

	if (ingest_parse(buf, len, lim, &b, err, sizeof(err)) == -1) {
		if (err[0] == '\0' || b.root != NULL || b.reports != NULL)
			__builtin_trap();
		return;
	}
	if (b.nreports == 0 || b.nreports > lim->max_reports)
		__builtin_trap();
	fuzz_touch(b.batch_id);
	for (i = 0; i < b.nreports; i++) {
		const struct ingest_report *r = &b.reports[i];

		fuzz_touch(r->report_id);
		fuzz_touch(r->host_id);
		fuzz_touch(r->hostname);
		fuzz_touch(r->os_id);
		fuzz_touch(r->os_name);
		fuzz_touch(r->os_version);
		fuzz_touch(r->kernel);
		fuzz_touch(r->arch);
		fuzz_touch(r->platform);
		fuzz_touch(r->agent_version);
		if (r->level < 1 || r->level > 5 || r->score < 0 ||
		    r->score > 100 || r->nfindings > lim->max_findings)
			__builtin_trap();
		for (j = 0; j < r->nfindings; j++) {
			const struct ingest_finding *f = &r->findings[j];

			fuzz_touch(f->check);
			fuzz_touch(ingest_status_name(f->status));
			fuzz_touch(f->severity);
			fuzz_touch(f->evidence);
			fuzz_touch(f->title_vi);
			fuzz_touch(f->title_en);
			fuzz_touch(f->remedy_vi);
			fuzz_touch(f->remedy_en);
			fuzz_touch(f->basis);
		}
	}
	ingest_batch_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ingest_limits deflim = INGEST_LIMITS_DEFAULT;
	static const struct ingest_limits small = { 4096, 2, 8, 64, 6 };
	char err[512], *out;
	size_t outlen;
	int too_large;

	fuzz_parse((const char *)data, size, &deflim);
	fuzz_parse((const char *)data, size, &small);
	if (ingest_inflate(data, size, 1u << 20, &out, &outlen, &too_large,
	    err, sizeof(err)) == 0) {
		if (outlen > 1u << 20 || out[outlen] != '\0')
			__builtin_trap();
		fuzz_parse(out, outlen, &deflim);
		free(out);
	} else if (err[0] == '\0' || out != NULL)
		__builtin_trap();
	return 0;
}
