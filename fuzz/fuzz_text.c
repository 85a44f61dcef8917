/*
 * fuzz_text.c — libFuzzer harness of the text helpers on arbitrary bytes:
 * UTF-8 validation, NFC, case folding and Vietnamese folding, and line
 * iteration. Checks that a result exists exactly for valid input, is
 * itself valid UTF-8, and that folding is stable (fold(fold(x)) ==
 * fold(x)).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check(char *s, bool valid)
{
	if ((s != NULL) != valid)
		abort();
	if (s != NULL && !text_valid_utf8(s, strlen(s)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *p = s, *line;
	bool valid = text_valid_utf8(s, size);
	char *nfc, *cf, *fold, *fold2;
	size_t len, total = 0, lines = 0;

	nfc = text_nfc(s, size);
	cf = text_casefold(s, size);
	fold = text_fold(s, size);
	fuzz_check(nfc, valid);
	fuzz_check(cf, valid);
	fuzz_check(fold, valid);
	if (fold != NULL) {
		fold2 = text_fold(fold, strlen(fold));
		if (fold2 == NULL || strcmp(fold, fold2) != 0)
			abort();
		free(fold2);
	}
	while (text_next_line(&p, s + size, &line, &len)) {
		if (line < s || line + len > s + size ||
		    memchr(line, '\n', len) != NULL)
			abort();
		total += len;
		lines++;
	}
	if (p != s + size || total > size || lines > size)
		abort();
	free(nfc);
	free(cf);
	free(fold);
	return 0;
}
