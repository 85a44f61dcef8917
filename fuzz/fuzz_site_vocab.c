/*
 * fuzz_site_vocab.c — libFuzzer harness for the portal monitor's
 * vocabulary (src/site/vocab.c). An even first byte: the rest is a page's
 * text searched for every kind of term with the embedded vocabulary;
 * every hit must be valid UTF-8 and its context bounded. An odd first
 * byte: the rest is a vocab.yml (through a memfd), loaded and, when
 * accepted, searched with its own terms; a refusal must say why.
 */
#define _GNU_SOURCE	/* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/text.h"
#include "site/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
search(const struct site_vocab *v, const char *text, size_t len)
{
	struct site_hit hits[16];
	size_t n, i;
	int k;

	for (k = SITE_VOCAB_GAMBLING; k <= SITE_VOCAB_MINER; k++) {
		n = site_vocab_find(v, (enum site_vocab_kind)k, text, len, hits,
		    16);
		if (n > 16)
			abort();
		for (i = 0; i < n; i++) {
			if (!text_valid_utf8(hits[i].found,
			    strlen(hits[i].found)) ||
			    !text_valid_utf8(hits[i].context,
			    strlen(hits[i].context)) ||
			    strlen(hits[i].context) > 1024 + 4 * len)
				abort();
			site_hit_free(&hits[i]);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct site_vocab *def;
	struct site_vocab *v = NULL;
	char err[512], path[64];
	int fd;

	if (size == 0)
		return 0;
	if (def == NULL && site_vocab_load(NULL, &def, err, sizeof(err)) < 0)
		abort();
	if ((data[0] & 1) == 0) {
		search(def, (const char *)data + 1, size - 1);
		return 0;
	}
	if ((fd = memfd_create("vocab", MFD_CLOEXEC)) < 0)
		return 0;
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err[0] = '\0';
	if (site_vocab_load(path, &v, err, sizeof(err)) == 0) {
		search(v, (const char *)data + 1, size - 1);
		site_vocab_free(v);
	} else if (err[0] == '\0')
		abort();
	close(fd);
	return 0;
}
