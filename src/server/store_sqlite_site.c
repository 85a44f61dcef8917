/*
 * store_sqlite_site.c — the portal monitor in the SQLite store (store.h,
 * "Portal monitor"): the registry of the sites each unit watches (table
 * sites, migration 7) and the results of a round, stored as the findings
 * of one host row per site origin with the findings code of ingestion
 * (sql_findings_merge, store_sqlite_batch.c), so that a site's alerts
 * open, stay and resolve exactly as an agent's findings do. docs/sites.md.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/text.h"
#include "server/store_int.h"

#define SITE_HOSTNAME_MAX 255
#define SITE_HOST_ID_MAX 300
#define SITE_ADDED_BY_MAX 320
#define SITE_ERROR_MAX 1000

char *
store_site_origin(const char *url)
{
	const char *p, *auth, *end, *at, *host, *hend, *port = NULL;
	size_t i, n;
	bool https;
	long pn = 0;
	char *o, *h;

	if (url == NULL)
		return NULL;
	if (strncasecmp(url, "https://", 8) == 0) {
		https = true;
		auth = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		https = false;
		auth = url + 7;
	} else
		return NULL;
	end = auth + strcspn(auth, "/?#");
	at = NULL;
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	host = at != NULL ? at + 1 : auth;
	if (host < end && *host == '[') {
		hend = memchr(host, ']', (size_t)(end - host));
		if (hend == NULL)
			return NULL;
		hend++;
	} else {
		hend = host;
		while (hend < end && *hend != ':')
			hend++;
	}
	if (hend == host || (size_t)(hend - host) > SITE_HOSTNAME_MAX)
		return NULL;
	if (hend < end) {
		if (*hend != ':')
			return NULL;
		port = hend + 1;
		if (port == end)
			port = NULL;	/* "host:" is the default port */
		else {
			for (p = port; p < end; p++) {
				if (!isdigit((unsigned char)*p))
					return NULL;
				pn = pn * 10 + (*p - '0');
				if (pn > 65535)
					return NULL;
			}
			if (pn == 0)
				return NULL;
		}
	}
	if (port == NULL)
		pn = https ? 443 : 80;
	n = (size_t)(hend - host);
	for (i = 0; i < n; i++)
		if ((unsigned char)host[i] <= 0x20 || host[i] == 0x7f)
			return NULL;
	h = text_printf("%.*s", (int)n, host);
	for (i = 0; h[i] != '\0'; i++)
		h[i] = (char)tolower((unsigned char)h[i]);
	o = text_printf("%s://%s:%ld", https ? "https" : "http", h, pn);
	free(h);
	return o;
}

/* The host row's id of an origin. */
static char *
site_host_id(const char *origin)
{
	return text_printf(STORE_SITE_HOST_PREFIX "%s", origin);
}

/* The host name of an origin: what is between "://" and the port. */
static char *
site_hostname(const char *origin)
{
	const char *h = strstr(origin, "://"), *c;

	h = h != NULL ? h + 3 : origin;
	c = strrchr(h, ':');
	return text_printf("%.*s", (int)(c != NULL ? (size_t)(c - h) :
	    strlen(h)), h);
}

static bool
site_text_ok(const char *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return true;
	n = strlen(s);
	return n <= max && text_valid_utf8(s, n);
}

/* The unit owning another URL of origin than unit_id, or 0. */
static int
site_origin_owner(struct store *st, const char *origin, int64_t unit_id,
    int64_t *other, char *err, size_t errlen)
{
	static const char what[] = "store_site_add";
	sqlite3_stmt *s;
	int rc, ret;

	*other = 0;
	if ((ret = sql_prepare(st, "SELECT unit_id FROM sites WHERE origin = ?1"
	    " AND unit_id != ?2 LIMIT 1", &s, what, err, errlen)) != STORE_OK)
		return ret;
	sql_bind_text(s, 1, origin);
	sqlite3_bind_int64(s, 2, unit_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*other = sqlite3_column_int64(s, 0);
	return sql_finish(st, s, rc, STORE_OK, what, err, errlen);
}

int
store_site_add(struct store *st, int64_t unit_id, const char *url,
    int interval, bool sitemap, const char *added_by, int64_t now,
    bool *added, char *err, size_t errlen)
{
	static const char what[] = "store_site_add";
	sqlite3_stmt *s;
	int64_t other, owner = 0;
	char *origin;
	int rc, ret;

	*added = false;
	if (url == NULL || strlen(url) > STORE_SITE_URL_MAX ||
	    !text_valid_utf8(url, strlen(url)) ||
	    (origin = store_site_origin(url)) == NULL) {
		sql_seterr(err, errlen, "không phải URL http:// hoặc https:// — "
		    "not an http:// or https:// URL");
		return STORE_ERR;
	}
	if (interval < STORE_SITE_INTERVAL_MIN ||
	    interval > STORE_SITE_INTERVAL_MAX) {
		free(origin);
		sql_seterr(err, errlen, "chu kỳ phải từ %d đến %d giây — the "
		    "interval must be %d to %d seconds",
		    STORE_SITE_INTERVAL_MIN, STORE_SITE_INTERVAL_MAX,
		    STORE_SITE_INTERVAL_MIN, STORE_SITE_INTERVAL_MAX);
		return STORE_ERR;
	}
	if (!site_text_ok(added_by, SITE_ADDED_BY_MAX)) {
		free(origin);
		sql_seterr(err, errlen, "người thêm không hợp lệ — invalid "
		    "added_by");
		return STORE_ERR;
	}
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "thêm trang — add a site", err, errlen)) !=
	    STORE_OK || (ret = sql_tx_begin(st, what, err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = site_origin_owner(st, origin, unit_id, &other, err,
	    errlen)) != STORE_OK)
		goto fail;
	if ((ret = sql_prepare(st, "SELECT unit_id FROM sites WHERE url = ?1",
	    &s, what, err, errlen)) != STORE_OK)
		goto fail;
	sql_bind_text(s, 1, url);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		owner = sqlite3_column_int64(s, 0);
	if ((ret = sql_finish(st, s, rc, STORE_OK, what, err, errlen)) !=
	    STORE_OK)
		goto fail;
	if (other != 0 || (owner != 0 && owner != unit_id)) {
		sql_seterr(err, errlen, "%s đã thuộc một đơn vị khác — already "
		    "belongs to another unit", other != 0 ? origin : url);
		ret = STORE_EEXISTS;
		goto fail;
	}
	if ((ret = sql_prepare(st, owner != 0 ?
	    "UPDATE sites SET interval = ?3, sitemap = ?4, next_due = 0"
	    " WHERE url = ?1" :
	    "INSERT INTO sites(unit_id, url, origin, interval, sitemap,"
	    " added_by, added_at) VALUES (?2, ?1, ?5, ?3, ?4, ?6, ?7)",
	    &s, what, err, errlen)) != STORE_OK)
		goto fail;
	sql_bind_text(s, 1, url);
	sqlite3_bind_int64(s, 2, unit_id);
	sqlite3_bind_int(s, 3, interval);
	sqlite3_bind_int(s, 4, sitemap);
	if (owner == 0) {
		sql_bind_text(s, 5, origin);
		sql_bind_text(s, 6, added_by != NULL ? added_by : "");
		sqlite3_bind_int64(s, 7, now);
	}
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		sql_seterr(err, errlen, "không có đơn vị số %" PRId64 " — no "
		    "unit with id %" PRId64, unit_id, unit_id);
		ret = STORE_ENOTFOUND;
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		ret = sql_dberr(st, rc, what, err, errlen);
		goto fail;
	}
	if ((ret = sql_tx_commit(st, what, err, errlen)) == STORE_OK)
		*added = owner == 0;
	goto out;
fail:
	sql_tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	free(origin);
	return ret;
}

int
store_sites(struct store *st, const struct store_site_filter *f,
    int (*cb)(const struct store_site *, void *), void *arg, char *err,
    size_t errlen)
{
	static const char what[] = "store_sites";
	struct sql_reader *rd = NULL;
	struct store_site row;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, what, err, errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT s.id, s.unit_id, u.name, s.url,"
	    " s.origin, s.added_by, s.last_error, s.interval, s.sitemap,"
	    " s.added_at, s.last_checked, s.next_due"
	    " FROM sites s JOIN units u ON u.id = s.unit_id"
	    " WHERE (?1 = 0 OR s.unit_id = ?1) AND (?2 = 0 OR s.next_due <= ?2)"
	    " AND (?3 IS NULL OR s.origin = ?3) AND (?4 IS NULL OR s.url = ?4)"
	    " ORDER BY u.name, s.origin, s.url", &s, what, err, errlen)) !=
	    STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, f != NULL ? f->unit_id : 0);
	sqlite3_bind_int64(s, 2, f != NULL ? f->due_by : 0);
	sql_bind_text(s, 3, f != NULL ? f->origin : NULL);
	sql_bind_text(s, 4, f != NULL ? f->url : NULL);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		row.id = sqlite3_column_int64(s, 0);
		row.unit_id = sqlite3_column_int64(s, 1);
		row.unit = sql_col_text(s, 2);
		row.url = sql_col_text(s, 3);
		row.origin = sql_col_text(s, 4);
		row.added_by = sql_col_text(s, 5);
		row.last_error = (const char *)sqlite3_column_text(s, 6);
		row.interval = sqlite3_column_int(s, 7);
		row.sitemap = sqlite3_column_int(s, 8) != 0;
		row.added_at = sqlite3_column_int64(s, 9);
		row.last_checked = sqlite3_column_int64(s, 10);
		row.next_due = sqlite3_column_int64(s, 11);
		if ((ret = cb(&row, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, what, err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

/* --- a round ------------------------------------------------------------ */

/* The host row of an origin in unit_id (made, or moved to the unit):
 * its hid and previous report time. */
static int
site_host(struct store *st, const struct store_site_host *h, int64_t now,
    const char *host_id, int64_t *hid, int64_t *report_at, char *err,
    size_t errlen)
{
	static const char what[] = "store_site_round hosts";
	sqlite3_stmt *s;
	char *name = site_hostname(h->origin);
	int rc, ret;

	*hid = 0;
	*report_at = 0;
	if ((ret = sql_prepare(st, "SELECT hid, report_at FROM hosts"
	    " WHERE id = ?1", &s, what, err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, host_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*hid = sqlite3_column_int64(s, 0);
		*report_at = sqlite3_column_int64(s, 1);
	}
	if ((ret = sql_finish(st, s, rc, STORE_OK, what, err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = sql_prepare(st, *hid != 0 ?
	    "UPDATE hosts SET unit_id = ?3, hostname = ?2 WHERE hid = ?5"
	    " AND (unit_id != ?3 OR hostname != ?2)" :
	    "INSERT INTO hosts(id, hostname, unit_id, os_id, os_name,"
	    " platform, first_seen, last_seen) VALUES (?1, ?2, ?3,"
	    " '" STORE_SITE_OS_ID "', 'web portal', 'web', ?4, ?4)",
	    &s, what, err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, host_id);
	sql_bind_text(s, 2, name);
	sqlite3_bind_int64(s, 3, h->unit_id);
	sqlite3_bind_int64(s, 4, now);
	if (*hid != 0)
		sqlite3_bind_int64(s, 5, *hid);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		sql_seterr(err, errlen, "không có đơn vị số %" PRId64 " — no "
		    "unit with id %" PRId64, h->unit_id, h->unit_id);
		ret = STORE_ENOTFOUND;
		goto out;
	}
	if (rc != SQLITE_DONE) {
		ret = sql_dberr(st, rc, what, err, errlen);
		goto out;
	}
	if (*hid == 0)
		*hid = sqlite3_last_insert_rowid(st->db);
out:
	free(name);
	return ret;
}

/* The checks open on host hid before the merge, as one JSON object used
 * as a set. */
static int
site_open_checks(struct store *st, int64_t hid, json_t *set, char *err,
    size_t errlen)
{
	static const char what[] = "store_site_round findings";
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_prepare(st, "SELECT check_id FROM findings"
	    " WHERE hid = ?1 AND resolved = 0", &s, what, err, errlen)) !=
	    STORE_OK)
		return ret;
	sqlite3_bind_int64(s, 1, hid);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_object_set_new(set, sql_col_text(s, 0), json_true());
	return sql_finish(st, s, rc, STORE_OK, what, err, errlen);
}

/* One origin: its host row, findings, events and counts. */
static int
site_round_host(struct store *st, const struct store_site_round *rd,
    const struct store_site_host *h, struct store_site_round_result *r,
    char *err, size_t errlen)
{
	static const char what[] = "store_site_round hosts";
	struct ingest_report rep;
	struct sql_merge_result m;
	sqlite3_stmt *s;
	json_t *before = json_object(), *d;
	int64_t hid, report_at;
	char *host_id = site_host_id(h->origin);
	int rc, ret, pass = 0, fail = 0;
	size_t i;

	if (strlen(host_id) > SITE_HOST_ID_MAX) {
		sql_seterr(err, errlen, "%s: nguồn quá dài — origin too long",
		    h->origin);
		ret = STORE_ERR;
		goto out;
	}
	if ((ret = site_host(st, h, rd->now, host_id, &hid, &report_at, err,
	    errlen)) != STORE_OK ||
	    (ret = site_open_checks(st, hid, before, err, errlen)) != STORE_OK)
		goto out;
	memset(&rep, 0, sizeof(rep));
	rep.collected_at = rd->now;
	rep.host_id = host_id;
	rep.findings = (struct ingest_finding *)h->findings;
	rep.nfindings = h->nfindings;
	if ((ret = sql_findings_merge(st, hid, report_at, &rep, &m, err,
	    errlen)) != STORE_OK)
		goto out;
	r->opened += m.opened;
	r->resolved += m.resolved;
	for (i = 0; i < h->nfindings; i++) {
		const struct ingest_finding *f = &h->findings[i];

		if (f->status == INGEST_PASS)
			pass++;
		else if (f->status == INGEST_FAIL)
			fail++;
		if (f->status != INGEST_FAIL ||
		    json_object_get(before, f->check) != NULL)
			continue;
		/* opened by this round */
		json_object_set_new(before, f->check, json_true());
		d = json_pack("{s:s, s:s, s:s, s:I}", "check", f->check,
		    "severity", f->severity, "origin", h->origin, "unit_id",
		    (json_int_t)h->unit_id);
		if (d != NULL && f->title_en != NULL)
			json_object_set_new(d, "title_en",
			    json_string(f->title_en));
		if ((ret = sql_event_json(st, rd->now, "site.alert", NULL,
		    host_id, d, err, errlen)) != STORE_OK)
			goto out;
		r->events++;
		if (rd->opened != NULL)
			rd->opened(host_id, f, rd->arg);
	}
	if ((ret = sql_prepare(st, "UPDATE hosts SET report_at = ?2,"
	    " last_seen = ?2, pass = ?3, fail = ?4, na = 0, error = 0,"
	    " open_findings = ?5, open_critical = ?6, open_high = ?7"
	    " WHERE hid = ?1", &s, what, err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, hid);
	sqlite3_bind_int64(s, 2, rd->now);
	sqlite3_bind_int(s, 3, pass);
	sqlite3_bind_int(s, 4, fail);
	sqlite3_bind_int(s, 5, m.open_all);
	sqlite3_bind_int(s, 6, m.open_critical);
	sqlite3_bind_int(s, 7, m.open_high);
	rc = sqlite3_step(s);
	ret = sql_finish(st, s, rc, STORE_OK, what, err, errlen);
out:
	json_decref(before);
	free(host_id);
	return ret;
}

/* After the last site of origin left the registry: its host row's open
 * findings are resolved (status na, as checks a report no longer has),
 * since nothing will check it again. Inside the caller's transaction. */
static int
site_retire(struct store *st, const char *origin, int64_t unit_id,
    int64_t now, int *resolved, char *err, size_t errlen)
{
	static const char what[] = "store_site_remove host";
	struct store_site_round rd;
	struct store_site_round_result r;
	struct store_site_host h;
	sqlite3_stmt *s;
	char *host_id = site_host_id(origin);
	int rc, ret;
	bool left = false, known = false;

	if ((ret = sql_prepare(st, "SELECT EXISTS (SELECT 1 FROM sites WHERE"
	    " origin = ?1), EXISTS (SELECT 1 FROM hosts WHERE id = ?2)", &s,
	    what, err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, origin);
	sql_bind_text(s, 2, host_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		left = sqlite3_column_int(s, 0) != 0;
		known = sqlite3_column_int(s, 1) != 0;
	}
	if ((ret = sql_finish(st, s, rc, STORE_OK, what, err, errlen)) !=
	    STORE_OK || left || !known)
		goto out;	/* still watched, or never checked */
	memset(&h, 0, sizeof(h));
	h.origin = origin;
	h.unit_id = unit_id;
	memset(&rd, 0, sizeof(rd));
	rd.now = now;
	memset(&r, 0, sizeof(r));
	ret = site_round_host(st, &rd, &h, &r, err, errlen);
	*resolved = r.resolved;
out:
	free(host_id);
	return ret;
}

int
store_site_remove(struct store *st, const char *url, int64_t now,
    int64_t *unit_id, int *resolved, char *err, size_t errlen)
{
	static const char what[] = "store_site_remove";
	sqlite3_stmt *s;
	char *origin = NULL;
	int rc, ret, n = 0;
	int64_t unit = 0;

	if (url == NULL) {
		sql_seterr(err, errlen, "thiếu URL — no URL given");
		return STORE_ERR;
	}
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "xoá trang — remove a site", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_tx_begin(st, what, err, errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_prepare(st, "DELETE FROM sites WHERE url = ?1"
	    " RETURNING unit_id, origin", &s, what, err, errlen)) != STORE_OK)
		goto fail;
	sql_bind_text(s, 1, url);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		unit = sqlite3_column_int64(s, 0);
		origin = text_dup((const char *)sqlite3_column_text(s, 1));
		rc = sqlite3_step(s);
	}
	if ((ret = sql_finish(st, s, rc, STORE_OK, what, err, errlen)) !=
	    STORE_OK)
		goto fail;
	if (unit == 0) {
		sql_seterr(err, errlen, "%s: không có trong danh sách theo dõi — "
		    "not a monitored site", url);
		ret = STORE_ENOTFOUND;
		goto fail;
	}
	if ((ret = site_retire(st, origin, unit, now, &n, err, errlen)) !=
	    STORE_OK)
		goto fail;
	if ((ret = sql_tx_commit(st, what, err, errlen)) == STORE_OK)
		goto out;
fail:
	sql_tx_rollback(st);
	unit = 0;
	n = 0;
out:
	pthread_mutex_unlock(&st->lock);
	free(origin);
	if (unit_id != NULL)
		*unit_id = unit;
	if (resolved != NULL)
		*resolved = n;
	return ret;
}

int
store_site_round(struct store *st, const struct store_site_round *rd,
    struct store_site_round_result *r, char *err, size_t errlen)
{
	static const char what[] = "store_site_round";
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc, ret;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < rd->nchecked; i++)
		if (rd->checked[i].url == NULL ||
		    !site_text_ok(rd->checked[i].error, 64u << 10)) {
			sql_seterr(err, errlen, "checked[%zu]: URL hoặc lỗi không "
			    "hợp lệ — invalid URL or error", i);
			return STORE_ERR;
		}
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "ghi kết quả kiểm tra trang — store a site "
	    "check", err, errlen)) != STORE_OK ||
	    (ret = sql_tx_begin(st, what, err, errlen)) != STORE_OK)
		goto out;
	for (i = 0; i < rd->nhosts; i++)
		if ((ret = site_round_host(st, rd, &rd->hosts[i], r, err,
		    errlen)) != STORE_OK)
			goto fail;
	if (rd->nchecked > 0 && (ret = sql_prepare(st, "UPDATE sites SET"
	    " last_checked = ?2, next_due = ?2 + interval, last_error = ?3"
	    " WHERE url = ?1", &s, what, err, errlen)) != STORE_OK)
		goto fail;
	for (i = 0; i < rd->nchecked; i++) {
		char cut[SITE_ERROR_MAX + 1];
		const char *e = rd->checked[i].error;

		if (e != NULL && strlen(e) > SITE_ERROR_MAX) {
			sql_copy(cut, sizeof(cut), (const unsigned char *)e);
			e = cut;
		}
		sql_bind_text(s, 1, rd->checked[i].url);
		sqlite3_bind_int64(s, 2, rd->now);
		sql_bind_text(s, 3, e);
		if ((rc = sql_run(s)) != SQLITE_OK) {
			ret = sql_dberr(st, rc, what, err, errlen);
			goto fail;
		}
	}
	if (s != NULL) {
		sqlite3_finalize(s);
		s = NULL;
	}
	ret = sql_tx_commit(st, what, err, errlen);
	goto out;
fail:
	if (s != NULL)
		sqlite3_finalize(s);
	sql_tx_rollback(st);
	memset(r, 0, sizeof(*r));
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}
