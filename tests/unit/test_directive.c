/*
 * test_directive.c — the shipped policy (the YAML files under policy/) is
 * sound: it loads against the embedded facts schema, has enough checks with
 * unique ids, texts in both languages (NFC), a legal basis that resolves
 * with its successors and the thresholds the issue fixes; and a handful of
 * its checks give pass, fail, na and error as they should over hand-written
 * facts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "testutil.h"
#include "agent/policy.h"
#include "agent/schema.h"
#include "lib/text.h"

static struct policy *pol;

static int
setup(void **state)
{
	char err[1024];

	(void)state;
	pol = policy_load(testutil_source("policy"), schema_embedded(), err,
	                  sizeof(err));
	if (pol == NULL)
		print_error("policy refused: %s\n", err);
	return pol == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	policy_free(pol);
	return 0;
}

/* Evaluates check id at level over facts and unavailable (JSON texts);
 * returns the status and leaves the result in out. */
static enum status
eval(const char *id, int level, const char *facts, const char *unav,
     struct result *out)
{
	const struct check *c = policy_check(pol, id);
	json_error_t je;
	json_t *f, *u;

	if (c == NULL)
		fail_msg("no check %s", id);
	f = json_loads(facts, 0, &je);
	if (f == NULL)
		fail_msg("bad facts JSON for %s: %s", id, je.text);
	u = json_loads(unav != NULL ? unav : "{}", 0, &je);
	assert_non_null(u);
	policy_eval(pol, c, level, f, u, out);
	json_decref(f);
	json_decref(u);
	return out->status;
}

static enum status
status_of(const char *id, int level, const char *facts)
{
	struct result r;
	enum status st = eval(id, level, facts, NULL, &r);

	result_free(&r);
	return st;
}

static bool
is_nfc(const char *s)
{
	char *n = text_nfc(s, strlen(s));
	bool ok = n != NULL && strcmp(n, s) == 0;

	free(n);
	return ok;
}

static void
assert_text(const struct i18n *t, const char *id, const char *what)
{
	if (t->vi == NULL || t->en == NULL || t->vi[0] == '\0' ||
	    t->en[0] == '\0')
		fail_msg("%s: %s lacks Vietnamese or English", id, what);
	if (!is_nfc(t->vi) || !is_nfc(t->en))
		fail_msg("%s: %s is not NFC", id, what);
}

static void
test_loads(void **state)
{
	struct policy *e;
	char err[1024];

	(void)state;
	assert_non_null(pol);
	assert_true(pol->nchecks >= 50);
	assert_true(pol->nlegal >= 15);
	/* The copy compiled into the agent is the same policy. */
	e = policy_load_embedded(schema_embedded(), err, sizeof(err));
	if (e == NULL)
		fail_msg("embedded policy refused: %s", err);
	assert_int_equal(e->nchecks, pol->nchecks);
	assert_int_equal(e->nlegal, pol->nlegal);
	policy_free(e);
}

static void
test_checks_well_formed(void **state)
{
	static const char *const areas[] = {
	    "av",   "patch",  "pkg",  "sw",   "fw",   "ssh", "acct",
	    "auth", "screen", "usb",  "wifi", "mail", "net", "kern",
	    "log",  "time",   "desk", "os",   "classified", NULL};
	size_t i, j, k;

	(void)state;
	for (i = 0; i < pol->nchecks; i++) {
		const struct check *c = &pol->checks[i];
		const char *dash = strchr(c->id, '-');
		bool area = false;

		for (j = 0; j < i; j++)
			if (strcmp(pol->checks[j].id, c->id) == 0)
				fail_msg("duplicate check id %s", c->id);
		assert_non_null(dash);
		for (k = 0; areas[k] != NULL; k++)
			if (strlen(areas[k]) == (size_t)(dash - c->id) &&
			    strncmp(areas[k], c->id, dash - c->id) == 0)
				area = true;
		if (!area)
			fail_msg("%s: id has no known area prefix", c->id);
		assert_in_range(c->point, 1, 8);
		assert_true(c->nbasis >= 1);
		assert_true(c->levels != 0);
		assert_true((c->levels & ~0x3eu) == 0); /* levels 1-5 */
		assert_true(c->platforms & PLATFORM_LINUX);
		assert_text(&c->title, c->id, "title");
		assert_text(&c->rationale, c->id, "rationale");
		assert_text(&c->remedy, c->id, "remedy");
		/* Every check cites the directive itself first. */
		assert_string_equal(c->basis[0], "cv-thai-hoa-2025");
		/* Hygiene every security level needs starts at level 1;
		 * stricter checks start at 3 or above and reach 5. */
		assert_true(c->levels & (1u << 5));
	}
}

/* Points 1 (awareness) and 2 (obey the cited laws) are about people and
 * documents, not computers: no fact can show them, so they have no check.
 * Every other point has checks where facts allow. */
static void
test_points_covered(void **state)
{
	int n[9] = {0};
	size_t i;

	(void)state;
	for (i = 0; i < pol->nchecks; i++)
		n[pol->checks[i].point]++;
	assert_int_equal(n[1], 0);
	assert_int_equal(n[2], 0);
	assert_true(n[3] >= 20); /* technical measures */
	assert_true(n[4] >= 3);  /* response: time, logs */
	assert_true(n[5] >= 10); /* accounts, passwords */
	assert_true(n[6] >= 2);  /* connected computers, USB */
	assert_true(n[7] >= 4);  /* own accounts, official mail */
	assert_true(n[8] >= 5);  /* vulnerabilities, supply chain */
}

/* YYYY-MM-DD of the day before date. */
static void
day_before(const char *date, char *out, size_t len)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	assert_int_equal(
	    sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday), 3);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday -= 1;
	tm.tm_hour = 12;
	timegm(&tm);
	strftime(out, len, "%Y-%m-%d", &tm);
}

static void
test_legal_catalogue(void **state)
{
	static const char *const cited[] = {
	    "luat-attt-2015", "luat-anm-2018", "luat-bvbmnn-2018",
	    "ct-14-2018",     "ct-14-2019",    "ct-18-2022",
	    "qd-85-tw-2022",  "qd-874-2021",   NULL};
	size_t i, j, ncited = 0;
	char before[16];

	(void)state;
	for (i = 0; cited[i] != NULL; i++) {
		const struct legal *l = policy_legal(pol, cited[i]);

		if (l == NULL)
			fail_msg("legal text %s missing", cited[i]);
		assert_true(l->cited);
	}
	for (i = 0; i < pol->nlegal; i++) {
		const struct legal *l = &pol->legal[i];

		assert_text(&l->title, l->id, "title");
		ncited += l->cited;
		assert_true(strcmp(l->issued, l->effective) <= 0);
		if (l->successor == NULL) {
			assert_null(l->until);
			continue;
		}
		/* A replaced text ends the day before its successor starts. */
		const struct legal *s = policy_legal(pol, l->successor);
		if (s == NULL)
			fail_msg("%s: successor %s missing", l->id,
			         l->successor);
		assert_non_null(l->until);
		day_before(s->effective, before, sizeof(before));
		assert_string_equal(l->until, before);
	}
	assert_int_equal(ncited, 8);
	/* Every basis of every check resolves. */
	for (i = 0; i < pol->nchecks; i++)
		for (j = 0; j < pol->checks[i].nbasis; j++)
			if (policy_legal(pol, pol->checks[i].basis[j]) == NULL)
				fail_msg("%s: unknown basis %s",
				         pol->checks[i].id,
				         pol->checks[i].basis[j]);
	assert_string_equal(policy_legal(pol, "luat-anm-2025")->effective,
	                    "2026-07-01");
	assert_string_equal(policy_legal(pol, "luat-bvbmnn-2025")->effective,
	                    "2026-03-01");
	assert_string_equal(policy_legal(pol, "luat-anm-2018")->until,
	                    "2026-06-30");
}

static bool
cites(json_t *basis, const char *id)
{
	size_t i;
	json_t *v;

	json_array_foreach(basis, i, v) if (strcmp(json_string_value(v), id) ==
	                                    0) return true;
	return false;
}

/* A finding cites the texts its check names and their successors in force
 * on the day of the audit. */
static void
test_successors_cited(void **state)
{
	const struct check *c = policy_check(pol, "fw-enabled");
	const struct check *m = policy_check(pol, "mail-official-domain");
	json_t *b;

	(void)state;
	assert_non_null(c);
	assert_non_null(m);
	b = policy_basis(pol, c, "2026-06-30");
	assert_true(cites(b, "luat-anm-2018"));
	assert_true(cites(b, "luat-attt-2015"));
	assert_false(cites(b, "luat-anm-2025"));
	json_decref(b);
	b = policy_basis(pol, c, "2026-11-24");
	assert_true(cites(b, "luat-anm-2018"));
	assert_true(cites(b, "luat-anm-2025"));
	assert_true(cites(b, "tcvn-11930-2017"));
	assert_true(cites(b, "tcvn-14423-2026"));
	json_decref(b);
	b = policy_basis(pol, m, "2026-11-24");
	assert_true(cites(b, "luat-bvbmnn-2018"));
	assert_true(cites(b, "luat-bvbmnn-2025"));
	json_decref(b);
}

static json_int_t
param_int(const char *name)
{
	json_t *v = json_object_get(pol->params, name);

	if (!json_is_integer(v))
		fail_msg("parameter %s is not an integer", name);
	return json_integer_value(v);
}

static bool
param_has(const char *name, const char *value)
{
	size_t i;
	json_t *v, *l = json_object_get(pol->params, name);

	assert_true(json_is_array(l));
	json_array_foreach(l, i, v) if (json_is_string(v) &&
	                                strcmp(json_string_value(v), value) ==
	                                    0) return true;
	return false;
}

/* The thresholds the issue fixes (TCVN 14423:2026). */
static void
test_parameters(void **state)
{
	(void)state;
	assert_int_equal(param_int("unused_account_days"), 45);
	assert_int_equal(param_int("admin_password_max_days"), 60);
	assert_int_equal(param_int("password_min_length"), 14);
	assert_int_equal(param_int("password_min_length_mfa"), 8);
	assert_int_equal(param_int("password_min_classes"), 4);
	assert_int_equal(param_int("screen_lock_max_seconds"), 900);
	assert_int_equal(param_int("lockout_max_failures"), 10);
	assert_int_equal(param_int("patch_max_age_days"), 31);
	assert_int_equal(param_int("wifi_psk_min_length"), 12);
	assert_int_equal(param_int("software_scan_max_files"), 200000);
	assert_true(param_has("os_end_of_life", "debian 11"));
	assert_false(param_has("os_end_of_life", "debian 12"));
	assert_true(param_has("public_mail_domains", "gmail.com"));
	assert_true(param_has("public_mail_domains", "yahoo.com.vn"));
	assert_true(param_has("generic_account_names", "ketoan"));
	assert_true(param_has("remote_access_packages", "anydesk"));
	assert_true(param_has("legacy_insecure_packages", "telnetd"));
	assert_non_null(
	    json_object_get(pol->param_docs, "isp_default_ssid_patterns"));
}

static bool
matches_any(pcre2_code **re, size_t n, const char *name)
{
	size_t j;
	bool hit = false;

	for (j = 0; j < n && !hit; j++) {
		pcre2_match_data *md =
		    pcre2_match_data_create_from_pattern(re[j], NULL);

		hit = pcre2_match(re[j], (PCRE2_SPTR)name, strlen(name), 0, 0,
		                  md, NULL) >= 0;
		pcre2_match_data_free(md);
	}
	return hit;
}

/* suspicious_names is matched by the software collector, case-insensitively,
 * against base names: cracks must match, ordinary names must not. */
static void
test_suspicious_names(void **state)
{
	static const char *const bad[] = {"Office2019_Crack.exe",
	                                  "keygen_IDM.zip",
	                                  "KMSpico_setup.exe",
	                                  "KMSAuto Net.exe",
	                                  "KMS_VL_ALL.cmd",
	                                  "AAct_x64.exe",
	                                  "Windows Loader.exe",
	                                  "Office Activator.exe",
	                                  "SerialKey.txt",
	                                  "HWIDGen.exe",
	                                  NULL};
	static const char *const good[] = {"Nutcracker.mp3",
	                                   "crackers.jpg",
	                                   "serial.py",
	                                   "pyserial-3.5.tar.gz",
	                                   "BundleActivator.class",
	                                   "bao-cao-quy-3.txt",
	                                   "Báo cáo tháng 9.docx",
	                                   "patch-1.diff",
	                                   "loader.js",
	                                   "license.txt",
	                                   NULL};
	json_t *pats = json_object_get(pol->params, "suspicious_names");
	pcre2_code *re[64];
	size_t i, n = 0;
	json_t *v;

	(void)state;
	json_array_foreach(pats, i, v)
	{
		int ec;
		PCRE2_SIZE off;

		assert_true(n < 64);
		re[n] = pcre2_compile(
		    (PCRE2_SPTR)json_string_value(v), PCRE2_ZERO_TERMINATED,
		    PCRE2_CASELESS | PCRE2_UTF, &ec, &off, NULL);
		if (re[n] == NULL)
			fail_msg("pattern %s does not compile",
			         json_string_value(v));
		n++;
	}
	for (i = 0; bad[i] != NULL; i++)
		if (!matches_any(re, n, bad[i]))
			fail_msg("%s: a crack that no pattern matches", bad[i]);
	for (i = 0; good[i] != NULL; i++)
		if (matches_any(re, n, good[i]))
			fail_msg("%s: an ordinary name that a pattern matches",
			         good[i]);
	for (i = 0; i < n; i++)
		pcre2_code_free(re[i]);
}

static void
test_eval_ssh_root(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(
	    eval("ssh-root-login", 2,
	         "{\"ssh\":{\"installed\":true,\"permit_root_login\":\"yes\"}}",
	         NULL, &r),
	    ST_FAIL);
	assert_non_null(r.evidence);
	assert_non_null(strstr(r.evidence, "yes"));
	result_free(&r);
	assert_int_equal(
	    status_of("ssh-root-login", 2,
	              "{\"ssh\":{\"installed\":true,"
	              "\"permit_root_login\":\"prohibit-password\"}}"),
	    ST_PASS);
	/* The stricter variant is not required at level 2... */
	assert_int_equal(
	    status_of("ssh-root-login-none", 2,
	              "{\"ssh\":{\"installed\":true,"
	              "\"permit_root_login\":\"prohibit-password\"}}"),
	    ST_NA);
	/* ...and fails at level 3. */
	assert_int_equal(
	    status_of("ssh-root-login-none", 3,
	              "{\"ssh\":{\"installed\":true,"
	              "\"permit_root_login\":\"prohibit-password\"}}"),
	    ST_FAIL);
	/* No SSH server: not applicable. */
	assert_int_equal(status_of("ssh-root-login", 2,
	                           "{\"ssh\":{\"installed\":false,\"permit_"
	                           "root_login\":\"yes\"}}"),
	                 ST_NA);
}

static void
test_eval_accounts(void **state)
{
	static const char weak[] =
	    "{\"accounts\":{\"uid_min\":1000,"
	    "\"users\":["
	    "{\"name\":\"root\",\"uid\":0,\"admin\":true,\"human\":false,"
	    "\"can_login\":true,\"disabled\":false,\"password\":\"locked\","
	    "\"password_age_days\":3,\"last_login_days\":-1},"
	    "{\"name\":\"toor\",\"uid\":0,\"admin\":true,\"human\":false,"
	    "\"can_login\":true,\"disabled\":false,\"password\":\"set\","
	    "\"password_age_days\":700,\"last_login_days\":-1},"
	    "{\"name\":\"quantri\",\"uid\":1000,\"admin\":true,\"human\":true,"
	    "\"can_login\":true,\"disabled\":false,\"password\":\"set\","
	    "\"password_age_days\":400,\"last_login_days\":2},"
	    "{\"name\":\"ketoan\",\"uid\":1001,\"admin\":false,\"human\":true,"
	    "\"can_login\":true,\"disabled\":false,\"password\":\"empty\","
	    "\"password_age_days\":-1,\"last_login_days\":1},"
	    "{\"name\":\"nguyenvana\",\"uid\":1002,\"admin\":false,"
	    "\"human\":true,\"can_login\":true,\"disabled\":false,"
	    "\"password\":\"set\",\"password_age_days\":30,"
	    "\"last_login_days\":120}]}}";
	static const char good[] =
	    "{\"accounts\":{\"uid_min\":1000,"
	    "\"users\":["
	    "{\"name\":\"root\",\"uid\":0,\"admin\":true,\"human\":false,"
	    "\"can_login\":true,\"disabled\":true,\"password\":\"locked\","
	    "\"password_age_days\":3,\"last_login_days\":-1},"
	    "{\"name\":\"nguyenvana\",\"uid\":1000,\"admin\":true,"
	    "\"human\":true,\"can_login\":true,\"disabled\":false,"
	    "\"password\":\"set\",\"password_age_days\":20,"
	    "\"last_login_days\":0},"
	    "{\"name\":\"tranthib\",\"uid\":1001,\"admin\":false,"
	    "\"human\":true,\"can_login\":true,\"disabled\":false,"
	    "\"password\":\"set\",\"password_age_days\":40,"
	    "\"last_login_days\":3}]}}";
	struct result r;

	(void)state;
	assert_int_equal(eval("acct-admin-password-age", 2, weak, NULL, &r),
	                 ST_FAIL);
	assert_non_null(strstr(r.evidence, "quantri"));
	assert_non_null(strstr(r.evidence, "toor"));
	assert_null(strstr(r.evidence, "nguyenvana"));
	result_free(&r);
	assert_int_equal(eval("acct-single-uid0", 2, weak, NULL, &r), ST_FAIL);
	assert_non_null(strstr(r.evidence, "toor"));
	result_free(&r);
	assert_int_equal(eval("acct-unused", 2, weak, NULL, &r), ST_FAIL);
	assert_non_null(strstr(r.evidence, "nguyenvana"));
	result_free(&r);
	assert_int_equal(status_of("acct-empty-password", 2, weak), ST_FAIL);
	assert_int_equal(status_of("acct-shared-names", 2, weak), ST_FAIL);
	assert_int_equal(status_of("acct-admin-count", 2, weak), ST_PASS);

	assert_int_equal(status_of("acct-admin-password-age", 2, good),
	                 ST_PASS);
	assert_int_equal(status_of("acct-single-uid0", 2, good), ST_PASS);
	assert_int_equal(status_of("acct-unused", 2, good), ST_PASS);
	assert_int_equal(status_of("acct-empty-password", 2, good), ST_PASS);
	assert_int_equal(status_of("acct-shared-names", 2, good), ST_PASS);
}

/* Without root, /etc/shadow is unreadable: the collector marks the fact
 * and the check reports "error" with its reason, never pass or fail. */
static void
test_eval_unavailable(void **state)
{
	static const char facts[] =
	    "{\"accounts\":{\"users\":["
	    "{\"name\":\"quantri\",\"uid\":1000,\"admin\":true,"
	    "\"human\":true}]}}";
	static const char unav[] =
	    "{\"accounts.users.password\":"
	    "{\"status\":\"error\",\"reason\":{\"vi\":\"cần quyền root\","
	    "\"en\":\"needs root\"}}}";
	struct result r;

	(void)state;
	assert_int_equal(eval("acct-admin-password-age", 2, facts, unav, &r),
	                 ST_ERROR);
	assert_non_null(r.reason.en);
	assert_string_equal(r.reason.en, "needs root");
	assert_string_equal(r.reason.vi, "cần quyền root");
	result_free(&r);
	/* A live fact audited with --root: not applicable. */
	assert_int_equal(
	    eval("fw-active", 2, "{\"firewall\":{}}",
	         "{\"firewall.active\":{\"status\":\"na\",\"reason\":"
	         "{\"vi\":\"chỉ có khi kiểm tra máy đang chạy\","
	         "\"en\":\"live only\"}}}",
	         &r),
	    ST_NA);
	assert_string_equal(r.reason.en, "live only");
	result_free(&r);
	/* Nothing recorded at all: still an error, never a pass. */
	assert_int_equal(eval("av-installed", 2, "{}", NULL, &r), ST_ERROR);
	result_free(&r);
}

static void
test_eval_software(void **state)
{
	(void)state;
	assert_int_equal(status_of("os-end-of-life", 2,
	                           "{\"os\":{\"release\":\"debian 11\"}}"),
	                 ST_FAIL);
	assert_int_equal(status_of("os-end-of-life", 2,
	                           "{\"os\":{\"release\":\"debian 12\"}}"),
	                 ST_PASS);
	assert_int_equal(status_of("av-signatures-fresh", 2,
	                           "{\"av\":{\"products\":[{\"name\":"
	                           "\"ClamAV\",\"installed\":true,"
	                           "\"signature_age_days\":200}]}}"),
	                 ST_FAIL);
	assert_int_equal(status_of("av-signatures-fresh", 2,
	                           "{\"av\":{\"products\":[{\"name\":"
	                           "\"ClamAV\",\"installed\":true,"
	                           "\"signature_age_days\":1}]}}"),
	                 ST_PASS);
	assert_int_equal(
	    status_of("av-installed", 2, "{\"av\":{\"products\":[]}}"),
	    ST_FAIL);
	assert_int_equal(
	    status_of("sw-cracks", 2,
	              "{\"software\":{\"suspicious\":[{\"path\":"
	              "\"/home/ketoan/Desktop/"
	              "KMSpico_setup.exe\",\"match\":\"kmspico\","
	              "\"size\":1,\"modified\":\"2026-01-01T00:00:00Z\"}]}}"),
	    ST_FAIL);
	assert_int_equal(
	    status_of("sw-cracks", 2, "{\"software\":{\"suspicious\":[]}}"),
	    ST_PASS);
	assert_int_equal(
	    status_of("sw-remote-access-tools", 2,
	              "{\"packages\":{\"installed\":[{\"name\":\"anydesk\"},"
	              "{\"name\":\"bash\"}]}}"),
	    ST_FAIL);
	assert_int_equal(
	    status_of("sw-remote-access-tools", 2,
	              "{\"packages\":{\"installed\":[{\"name\":\"bash\"}]}}"),
	    ST_PASS);
	/* Origins mean nothing before apt update: not applicable. */
	assert_int_equal(
	    status_of(
	        "pkg-unknown-origin", 2,
	        "{\"packages\":{\"manager\":\"dpkg\",\"lists_present\":false,"
	        "\"installed\":[{\"name\":\"bash\",\"origin\":\"\"}]}}"),
	    ST_NA);
	assert_int_equal(
	    status_of(
	        "pkg-unknown-origin", 2,
	        "{\"packages\":{\"manager\":\"dpkg\",\"lists_present\":true,"
	        "\"installed\":[{\"name\":\"bash\",\"origin\":\"\"}]}}"),
	    ST_FAIL);
}

static void
test_eval_wifi_mail(void **state)
{
	(void)state;
	assert_int_equal(
	    status_of(
	        "wifi-default-ssid", 2,
	        "{\"wifi\":{\"networks\":[{\"ssid\":\"FPT Telecom-A1B2\"}]}}"),
	    ST_FAIL);
	assert_int_equal(
	    status_of(
	        "wifi-default-ssid", 2,
	        "{\"wifi\":{\"networks\":[{\"ssid\":\"VIETTEL_x7Kp29Qa\"}]}}"),
	    ST_FAIL);
	assert_int_equal(status_of("wifi-default-ssid", 2,
	                           "{\"wifi\":{\"networks\":[{\"ssid\":\"UBND "
	                           "Phuong Thai Hoa\"}]}}"),
	                 ST_PASS);
	assert_int_equal(status_of("wifi-psk-length", 2,
	                           "{\"wifi\":{\"networks\":[{\"ssid\":\"a\","
	                           "\"security\":\"wpa2\","
	                           "\"psk_length\":8}]}}"),
	                 ST_FAIL);
	assert_int_equal(
	    status_of("wifi-psk-length", 2,
	              "{\"wifi\":{\"networks\":[{\"ssid\":\"a\",\"security\":"
	              "\"wpa3\","
	              "\"psk_length\":20},{\"ssid\":\"b\",\"security\":"
	              "\"wpa2-enterprise\",\"psk_length\":0}]}}"),
	    ST_PASS);
	assert_int_equal(status_of("wifi-wpa-tkip", 2,
	                           "{\"wifi\":{\"networks\":[{\"ssid\":\"a\","
	                           "\"security\":\"wpa2\","
	                           "\"tkip\":true}]}}"),
	                 ST_FAIL);
	assert_int_equal(
	    status_of(
	        "mail-official-domain", 2,
	        "{\"mail\":{\"accounts\":[{\"address\":\"ketoan@gmail.com\","
	        "\"domain\":\"gmail.com\"}]}}"),
	    ST_FAIL);
	assert_int_equal(status_of("mail-official-domain", 2,
	                           "{\"mail\":{\"accounts\":[{\"address\":\"a@"
	                           "thaihoa.nghean.gov.vn\","
	                           "\"domain\":\"thaihoa.nghean.gov.vn\"}]}}"),
	                 ST_PASS);
}

static void
test_eval_levels_and_desktop(void **state)
{
	static const char usb[] =
	    "{\"usb\":{\"storage_blocked\":false,"
	    "\"usbguard\":false,\"automount\":true,\"autorun\":true},"
	    "\"desktop\":{\"present\":true}}";

	(void)state;
	assert_int_equal(status_of("usb-storage-blocked", 2, usb), ST_NA);
	assert_int_equal(status_of("usb-storage-blocked", 3, usb), ST_FAIL);
	assert_int_equal(status_of("usb-automount", 2, usb), ST_FAIL);
	/* Automount does not matter once USB storage is blocked. */
	assert_int_equal(
	    status_of("usb-automount", 2,
	              "{\"usb\":{\"storage_blocked\":true,\"usbguard\":false,"
	              "\"automount\":true},\"desktop\":{\"present\":true}}"),
	    ST_PASS);
	assert_int_equal(
	    status_of(
	        "screen-lock-timeout", 2,
	        "{\"desktop\":{\"present\":true},\"screenlock\":{\"settings\":["
	        "{\"scope\":\"system\",\"idle_seconds\":300},"
	        "{\"scope\":\"ketoan\",\"idle_seconds\":0}]}}"),
	    ST_FAIL);
	assert_int_equal(
	    status_of(
	        "screen-lock-timeout", 2,
	        "{\"desktop\":{\"present\":true},\"screenlock\":{\"settings\":["
	        "{\"scope\":\"system\",\"idle_seconds\":300}]}}"),
	    ST_PASS);
	/* No settings found is not a pass. */
	assert_int_equal(status_of("screen-lock-enabled", 2,
	                           "{\"desktop\":{\"present\":true},"
	                           "\"screenlock\":{\"settings\":[]}}"),
	                 ST_FAIL);
	assert_int_equal(status_of("screen-lock-enabled", 2,
	                           "{\"desktop\":{\"present\":false},"
	                           "\"screenlock\":{\"settings\":[]}}"),
	                 ST_NA);
	assert_int_equal(
	    status_of("auth-min-length", 2,
	              "{\"auth\":{\"min_length\":10,\"mfa\":true}}"),
	    ST_PASS);
	assert_int_equal(
	    status_of("auth-min-length", 2,
	              "{\"auth\":{\"min_length\":10,\"mfa\":false}}"),
	    ST_FAIL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_loads),
	    cmocka_unit_test(test_checks_well_formed),
	    cmocka_unit_test(test_points_covered),
	    cmocka_unit_test(test_legal_catalogue),
	    cmocka_unit_test(test_successors_cited),
	    cmocka_unit_test(test_parameters),
	    cmocka_unit_test(test_suspicious_names),
	    cmocka_unit_test(test_eval_ssh_root),
	    cmocka_unit_test(test_eval_accounts),
	    cmocka_unit_test(test_eval_unavailable),
	    cmocka_unit_test(test_eval_software),
	    cmocka_unit_test(test_eval_wifi_mail),
	    cmocka_unit_test(test_eval_levels_and_desktop),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
