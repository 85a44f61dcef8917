/*
 * test_site_vocab.c — the portal monitor's vocabulary (src/site/vocab.c):
 * the embedded policy/site/vocab.yml loads; gambling terms match with and
 * without diacritics, in NFD, in upper case, without spaces, through
 * zero-width and full-width evasions, on word boundaries only; strong and
 * weak terms; defacement phrases and miner names; a bad file is refused
 * with file:line:column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "site/site.h"
#include "site/detect_int.h"

static struct site_vocab *V;

static int
setup(void **state)
{
	char err[512];

	(void)state;
	if (site_vocab_load(NULL, &V, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	site_vocab_free(V);
	return 0;
}

/* The terms found in text, "|"-joined in order, into buf. */
static const char *
found(enum site_vocab_kind k, const char *text, char *buf, size_t size)
{
	struct site_hit hits[20];
	size_t n, i;

	buf[0] = '\0';
	n = site_vocab_find(V, k, text, strlen(text), hits, 20);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, "|", size - strlen(buf) - 1);
		strncat(buf, hits[i].term, size - strlen(buf) - 1);
		site_hit_free(&hits[i]);
	}
	return buf;
}

static void
test_diacritics(void **state)
{
	char b[512];
	struct site_hit h[4];
	size_t n;
	/* "nổ hũ" in NFD: o + circumflex + hook above, u + tilde */
	const char *nfd = "Chơi no\xcc\x82\xcc\x89 hu\xcc\x83 ngay";

	(void)state;
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "Chơi nổ hũ ngay",
	    b, sizeof(b)), "nổ hũ");
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "CHƠI NỔ HŨ NGAY",
	    b, sizeof(b)), "nổ hũ");
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "choi no hu ngay",
	    b, sizeof(b)), "nổ hũ");
	assert_string_equal(found(SITE_VOCAB_GAMBLING, nfd, b, sizeof(b)),
	    "nổ hũ");
	/* found is the text as written, in NFC; context around it */
	n = site_vocab_find(V, SITE_VOCAB_GAMBLING, nfd, strlen(nfd), h, 4);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].found, "nổ hũ");
	assert_string_equal(h[0].context, "Chơi nổ hũ ngay");
	site_hit_free(&h[0]);
	/* punctuation and repeated spaces between the words */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "Nổ-Hũ!!  Tài   "
	    "Xỉu.", b, sizeof(b)), "nổ hũ|tài xỉu");
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "Game bài đổi thưởng "
	    "uy tín", b, sizeof(b)), "game bài|game bài đổi thưởng|đổi thưởng");
	/* đ folds to d */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "DA GA THOMO",
	    b, sizeof(b)), "đá gà|đá gà trực tuyến");
}

static void
test_spam_spellings(void **state)
{
	char b[512];

	(void)state;
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "nohu88 tặng code",
	    b, sizeof(b)), "nổ hũ");
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "N0 HU club",
	    b, sizeof(b)), "nổ hũ");
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "taixiu online",
	    b, sizeof(b)), "tài xỉu");
	/* a zero-width space and a soft hyphen inside the word */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "nổ\xe2\x80\x8bhũ",
	    b, sizeof(b)), "nổ hũ");
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "tài\xc2\xadxỉu",
	    b, sizeof(b)), "tài xỉu");
	/* full-width letters */
	assert_string_equal(found(SITE_VOCAB_GAMBLING,
	    "\xef\xbd\x8e\xef\xbd\x8f\xef\xbd\x88\xef\xbd\x95", b,
	    sizeof(b)), "nổ hũ");
	/* brand names, also inside a domain name */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "Đăng ký 789BET và "
	    "jun88.com", b, sizeof(b)), "789bet|jun88");
}

static void
test_boundaries(void **state)
{
	char b[512];

	(void)state;
	/* ordinary words of a ward portal */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "Giao lô đất 15, đề "
	    "án chuyển đổi số; kết quả xổ số kiến thiết", b, sizeof(b)), "");
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "Hội nghị tổng kết "
	    "công tác năm 2026", b, sizeof(b)), "");
	/* inside a longer word: no */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "baccarats slotting "
	    "chi88 kubets", b, sizeof(b)), "");
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "onohu", b,
	    sizeof(b)), "");
	/* "slot" is an English word: "slots" is listed as its form */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "free slots", b,
	    sizeof(b)), "slot");
	/* at the very start and end of the text */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "baccarat", b,
	    sizeof(b)), "baccarat");
	/* "lô đề" yes, the words alone no */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "ghi lô đề", b,
	    sizeof(b)), "lô đề");
	/* a term found many times is reported once */
	assert_string_equal(found(SITE_VOCAB_GAMBLING, "nổ hũ, NO HU, nohu",
	    b, sizeof(b)), "nổ hũ");
}

static void
test_strength(void **state)
{
	(void)state;
	assert_int_equal(site_vocab_strength(V, SITE_VOCAB_GAMBLING, "nổ hũ"),
	    2);
	assert_int_equal(site_vocab_strength(V, SITE_VOCAB_GAMBLING, "bắn cá"),
	    1);
	assert_int_equal(site_vocab_strength(V, SITE_VOCAB_GAMBLING, "đá gà"),
	    1);
	assert_int_equal(site_vocab_strength(V, SITE_VOCAB_GAMBLING, "789bet"),
	    2);
	assert_int_equal(site_vocab_strength(V, SITE_VOCAB_GAMBLING, "b52"),
	    1);
	assert_int_equal(site_vocab_strength(V, SITE_VOCAB_GAMBLING,
	    "hacked by"), 0);
	assert_int_equal(site_vocab_strength(V, SITE_VOCAB_DEFACE,
	    "hacked by"), 2);
	assert_int_equal(site_vocab_strength(V, SITE_VOCAB_DEFACE,
	    "owned by"), 1);
	assert_non_null(site_vocab_default(NULL, 0));
}

static void
test_deface_miner(void **state)
{
	char b[512];

	(void)state;
	assert_string_equal(found(SITE_VOCAB_DEFACE, "HACKED BY Kẻ Vô Danh "
	    "— greetz to all", b, sizeof(b)), "hacked|hacked by|greetz");
	assert_string_equal(found(SITE_VOCAB_DEFACE, "Trang này đã bị hack "
	    "bởi nhóm X", b, sizeof(b)), "đã bị hack|bị hack bởi");
	assert_string_equal(found(SITE_VOCAB_DEFACE, "Chúc mừng năm mới",
	    b, sizeof(b)), "");
	assert_string_equal(found(SITE_VOCAB_MINER,
	    "https://coinhive.com/lib/coinhive.min.js", b, sizeof(b)),
	    "coinhive");
	assert_string_equal(found(SITE_VOCAB_MINER, "var m = new "
	    "CoinHive.Anonymous('k'); m.start();", b, sizeof(b)), "coinhive");
	assert_string_equal(found(SITE_VOCAB_MINER, "pool: "
	    "'stratum+tcp://pool.example:3333'", b, sizeof(b)), "stratum tcp");
	/* kinds are separate */
	assert_string_equal(found(SITE_VOCAB_MINER, "nổ hũ", b, sizeof(b)),
	    "");
}

static void
test_hostile_text(void **state)
{
	struct site_hit h[2];
	char *big;
	size_t n, i, len = 3u << 20;
	const char bad[] = "\xff\xfe nổ hũ \xc3\x28 \xed\xa0\x80 tài xỉu\x01";

	(void)state;
	n = site_vocab_find(V, SITE_VOCAB_GAMBLING, bad, sizeof(bad) - 1, h,
	    2);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		assert_true(strchr(h[i].context, '\x01') == NULL);
		site_hit_free(&h[i]);
	}
	/* at most max hits */
	n = site_vocab_find(V, SITE_VOCAB_GAMBLING, "nổ hũ tài xỉu nhà cái",
	    strlen("nổ hũ tài xỉu nhà cái"), h, 1);
	assert_int_equal(n, 1);
	site_hit_free(&h[0]);
	/* a large page of ordinary text with one term at the end */
	big = malloc(len + 32);
	assert_non_null(big);
	for (i = 0; i + 16 < len; i += 16)
		memcpy(big + i, "Ủy ban phường, ", 16);
	strcpy(big + i, " sunwin");
	n = site_vocab_find(V, SITE_VOCAB_GAMBLING, big, strlen(big), h, 2);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].term, "sunwin");
	site_hit_free(&h[0]);
	free(big);
	assert_int_equal(site_vocab_find(V, SITE_VOCAB_GAMBLING, "", 0, h, 2),
	    0);
	assert_int_equal(site_vocab_find(NULL, SITE_VOCAB_GAMBLING, "x", 1, h,
	    2), 0);
}

/* Loads text from a temporary file; returns the error or "" on success. */
static const char *
load_text(const char *text, char *err, size_t errlen)
{
	char path[] = "/tmp/cg-vocab-XXXXXX";
	struct site_vocab *v = NULL;
	int fd, rc;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	rc = site_vocab_load(path, &v, err, errlen);
	unlink(path);
	if (rc == 0) {
		assert_non_null(v);
		site_vocab_free(v);
		err[0] = '\0';
	} else
		assert_null(v);
	return err;
}

static void
test_bad_files(void **state)
{
	char err[512];
	struct site_vocab *v;

	(void)state;
	assert_string_equal(load_text("version: 1\ngambling:\n  - nổ hũ\n"
	    "  - {term: bắn cá, strength: weak}\n", err, sizeof(err)), "");
	/* a YAML syntax error */
	load_text("version: 1\ngambling:\n  - x\n - y\n", err, sizeof(err));
	assert_non_null(strstr(err, ":4:2: YAML không hợp lệ"));
	assert_non_null(strstr(err, " — invalid YAML"));
	/* an unknown strength, at its line and column */
	load_text("version: 1\ngambling:\n  - term: x\n    strength: medium\n",
	    err, sizeof(err));
	assert_non_null(strstr(err, ":4:15: “strength” phải là strong hoặc "
	    "weak — “strength” must be strong or weak"));
	/* an unknown key */
	load_text("version: 1\ncasinos:\n  - x\n", err, sizeof(err));
	assert_non_null(strstr(err, ":2:1: khoá không biết"));
	/* the same form under two terms */
	load_text("gambling:\n  - nổ hũ\n  - {term: x, forms: [NO HU]}\n",
	    err, sizeof(err));
	assert_non_null(strstr(err, ":3:23: “no hu” đã có ở dòng 2"));
	/* … also after a form equal to its own term was dropped */
	load_text("gambling:\n  - {term: a b, forms: [A B]}\n  - c\n"
	    "  - {term: d, forms: [C]}\n", err, sizeof(err));
	assert_non_null(strstr(err, ":4:23: “c” đã có ở dòng 3"));
	/* a term without letters, "*" inside a phrase, aliases */
	load_text("gambling:\n  - \"!!\"\n", err, sizeof(err));
	assert_non_null(strstr(err, ":2:5: thuật ngữ không có chữ"));
	load_text("gambling:\n  - no hu*\n", err, sizeof(err));
	assert_non_null(strstr(err, ":2:5:"));
	load_text("gambling: &a\n  - x\nbrands: *a\n", err, sizeof(err));
	assert_non_null(strstr(err, "bí danh"));
	load_text("version: 2\n", err, sizeof(err));
	assert_non_null(strstr(err, ":1:10: phiên bản"));
	load_text("", err, sizeof(err));
	assert_non_null(strstr(err, "tệp rỗng — empty file"));
	/* a missing file */
	assert_int_equal(site_vocab_load("/nonexistent/vocab.yml", &v, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/vocab.yml: "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diacritics),
		cmocka_unit_test(test_spam_spellings),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_strength),
		cmocka_unit_test(test_deface_miner),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
