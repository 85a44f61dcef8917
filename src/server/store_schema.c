/*
 * store_schema.c — the SQLite store's schema, as the ordered list of
 * migrations that build it. store_open() applies those the file lacks, each
 * in its own transaction, and records the version in PRAGMA user_version
 * (store_sqlite.c). Released migrations are never edited; a change of the
 * schema is a new entry at the end. Times are UTC seconds; 0 means "never".
 *
 * Hosts and checks are referred to by integer keys inside the hot tables
 * (findings, host_facts, reports) so that their rows and indexes stay
 * small: 10,000 hosts x 300 findings is three million finding rows.
 */
#include <stddef.h>

#include "server/store_int.h"

static const char store_schema_v1[] =
	/* Organisational units of the ward (phòng, ban, ngành, đoàn thể). */
	"CREATE TABLE units ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 255));"

	/* People who sign in to the console. */
	"CREATE TABLE users ("
	" id INTEGER PRIMARY KEY,"
	" login TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 255),"
	" name TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN"
	"  ('supervisor', 'unit-it', 'unit-head', 'viewer')),"
	" unit_id INTEGER REFERENCES units(id),"
	" pwhash TEXT NOT NULL,"
	" created INTEGER NOT NULL,"
	" disabled_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX users_unit ON users(unit_id);"

	/* Enrolment tokens: only the SHA-256 of the token is kept. */
	"CREATE TABLE tokens ("
	" id INTEGER PRIMARY KEY,"
	" hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" created INTEGER NOT NULL,"
	" expires INTEGER NOT NULL DEFAULT 0,"
	" uses_max INTEGER NOT NULL CHECK (uses_max >= 1),"
	" uses INTEGER NOT NULL DEFAULT 0,"
	" revoked INTEGER NOT NULL DEFAULT 0,"
	" note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX tokens_unit ON tokens(unit_id);"

	/* Computers. agent_id is the agent that speaks for the host now. */
	"CREATE TABLE hosts ("
	" hid INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" hostname TEXT NOT NULL,"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" agent_id TEXT,"
	" os_id TEXT, os_name TEXT, os_version TEXT,"
	" kernel TEXT, arch TEXT, platform TEXT,"
	" level INTEGER NOT NULL DEFAULT 0,"
	" report_at INTEGER NOT NULL DEFAULT 0,"	/* latest collected_at */
	" score INTEGER NOT NULL DEFAULT -1,"		/* -1: no report yet */
	" pass INTEGER NOT NULL DEFAULT 0,"
	" fail INTEGER NOT NULL DEFAULT 0,"
	" na INTEGER NOT NULL DEFAULT 0,"
	" error INTEGER NOT NULL DEFAULT 0,"
	" open_findings INTEGER NOT NULL DEFAULT 0,"
	" open_critical INTEGER NOT NULL DEFAULT 0,"
	" open_high INTEGER NOT NULL DEFAULT 0,"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX hosts_unit ON hosts(unit_id, hostname);"
	"CREATE INDEX hosts_hostname ON hosts(hostname);"

	/* Agents, each with its own client certificate. */
	"CREATE TABLE agents ("
	" id TEXT PRIMARY KEY,"
	" host_id TEXT NOT NULL REFERENCES hosts(id),"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" token_id INTEGER REFERENCES tokens(id),"
	" cert_serial TEXT NOT NULL DEFAULT '',"
	" enrolled INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL DEFAULT 0,"
	" revoked_at INTEGER NOT NULL DEFAULT 0,"
	" version TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX agents_host ON agents(host_id);"
	"CREATE INDEX agents_unit ON agents(unit_id);"
	"CREATE INDEX agents_token ON agents(token_id);"

	/* The catalogue of checks as the agents last described them. */
	"CREATE TABLE checks ("
	" id TEXT PRIMARY KEY,"
	" severity TEXT NOT NULL,"
	" point INTEGER NOT NULL,"
	" title_vi TEXT, title_en TEXT,"
	" remedy_vi TEXT, remedy_en TEXT,"
	" basis TEXT);"

	/* The current state of every check on every host. A finding is open
	 * while its status is fail or error (resolved = 0); first_seen is
	 * the start of the current (or last) failing episode. last_seen 0
	 * means "in the host's latest report" (hosts.report_at), so that a
	 * finding seen again unchanged is not written at all. */
	"CREATE TABLE findings ("
	" id INTEGER PRIMARY KEY,"
	" hid INTEGER NOT NULL REFERENCES hosts(hid),"
	" check_id TEXT NOT NULL REFERENCES checks(id),"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('pass', 'fail', 'na', 'error')),"
	" severity TEXT NOT NULL,"
	" evidence TEXT,"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL,"
	" resolved INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE (hid, check_id));"
	"CREATE INDEX findings_check ON findings(check_id);"
	"CREATE INDEX findings_open ON findings(hid) WHERE resolved = 0;"

	/* The latest facts of a host, one row per top-level section. */
	"CREATE TABLE host_facts ("
	" hid INTEGER NOT NULL REFERENCES hosts(hid),"
	" section TEXT NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" updated INTEGER NOT NULL,"
	" PRIMARY KEY (hid, section));"
	/* Each new value of a section ('null' when it disappeared). */
	"CREATE TABLE fact_history ("
	" id INTEGER PRIMARY KEY,"
	" hid INTEGER NOT NULL REFERENCES hosts(hid),"
	" time INTEGER NOT NULL,"
	" section TEXT NOT NULL,"
	" value TEXT NOT NULL);"
	"CREATE INDEX fact_history_host ON fact_history(hid, time);"

	/* Uploads, idempotent by the agent's batch id. */
	"CREATE TABLE batches ("
	" id INTEGER PRIMARY KEY,"
	" agent_id TEXT NOT NULL REFERENCES agents(id),"
	" batch_id TEXT NOT NULL,"
	" received_at INTEGER NOT NULL,"
	" reports INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE (agent_id, batch_id));"
	/* Every audit report received, unique per host by its report id. */
	"CREATE TABLE reports ("
	" id INTEGER PRIMARY KEY,"
	" hid INTEGER NOT NULL REFERENCES hosts(hid),"
	" report_id TEXT NOT NULL,"
	" batch INTEGER NOT NULL REFERENCES batches(id),"
	" collected_at INTEGER NOT NULL,"
	" received_at INTEGER NOT NULL,"
	" score INTEGER NOT NULL,"
	" pass INTEGER NOT NULL, fail INTEGER NOT NULL,"
	" na INTEGER NOT NULL, error INTEGER NOT NULL,"
	" summary TEXT,"
	" UNIQUE (hid, report_id));"
	"CREATE INDEX reports_host_time ON reports(hid, collected_at);"
	"CREATE INDEX reports_batch ON reports(batch);"

	/* Scores: per report for a host, per day for a unit and the ward. */
	"CREATE TABLE scores ("
	" id INTEGER PRIMARY KEY,"
	" scope TEXT NOT NULL CHECK (scope IN ('host', 'unit', 'ward')),"
	" name TEXT NOT NULL,"
	" time INTEGER NOT NULL,"
	" score REAL NOT NULL,"
	" hosts INTEGER NOT NULL);"
	"CREATE INDEX scores_scope ON scores(scope, name, time);"

	/* The event log; ids only grow (AUTOINCREMENT) so that readers can
	 * follow it with "since id". */
	"CREATE TABLE events ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" time INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" agent_id TEXT,"
	" host_id TEXT,"
	" detail TEXT);"
	"CREATE INDEX events_time ON events(time);"

	/* Row counts of the growing tables for /metrics, kept by triggers so
	 * that reading them never scans millions of rows. */
	"CREATE TABLE counters ("
	" name TEXT PRIMARY KEY,"
	" n INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO counters(name, n) VALUES"
	" ('batches', 0), ('reports', 0), ('events', 0);"
	"CREATE TRIGGER batches_added AFTER INSERT ON batches BEGIN"
	" UPDATE counters SET n = n + 1 WHERE name = 'batches'; END;"
	"CREATE TRIGGER batches_removed AFTER DELETE ON batches BEGIN"
	" UPDATE counters SET n = n - 1 WHERE name = 'batches'; END;"
	"CREATE TRIGGER reports_added AFTER INSERT ON reports BEGIN"
	" UPDATE counters SET n = n + 1 WHERE name = 'reports'; END;"
	"CREATE TRIGGER reports_removed AFTER DELETE ON reports BEGIN"
	" UPDATE counters SET n = n - 1 WHERE name = 'reports'; END;"
	"CREATE TRIGGER events_added AFTER INSERT ON events BEGIN"
	" UPDATE counters SET n = n + 1 WHERE name = 'events'; END;"
	"CREATE TRIGGER events_removed AFTER DELETE ON events BEGIN"
	" UPDATE counters SET n = n - 1 WHERE name = 'events'; END;";

/* The console's sessions (web.c, store_sqlite_session.c): one row per
 * signed-in browser, known by the SHA-256 of its cookie only. */
static const char store_schema_v2[] =
	"CREATE TABLE sessions ("
	" id INTEGER PRIMARY KEY,"
	" hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" csrf TEXT NOT NULL,"
	" mfa_pending INTEGER NOT NULL DEFAULT 0,"
	" created INTEGER NOT NULL,"
	" last_used INTEGER NOT NULL,"
	" expires INTEGER NOT NULL,"
	" addr TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE INDEX sessions_expires ON sessions(expires);";

/*
 * People and the audit log (issue 4, docs/admin.md): the second factor
 * and the lockout counters of each user, and the append-only,
 * hash-chained audit log. The TOTP secrets are kept in the clear, like
 * the rest of the store, which is readable by canhgacd's user alone.
 */
static const char store_schema_v3[] =
	"ALTER TABLE users ADD COLUMN totp_secret TEXT;"
	"ALTER TABLE users ADD COLUMN totp_pending TEXT;"
	"ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN failed_since INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN password_changed INTEGER NOT NULL"
	" DEFAULT 0;"

	/* Every change made by a person. hash = SHA-256 over prev_hash
	 * and the length-prefixed fields (store_sqlite_audit.c). */
	"CREATE TABLE audit_log ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" time INTEGER NOT NULL,"
	" actor TEXT NOT NULL,"
	" actor_role TEXT NOT NULL DEFAULT '',"
	" addr TEXT NOT NULL DEFAULT '',"
	" action TEXT NOT NULL,"
	" object TEXT NOT NULL DEFAULT '',"
	" detail TEXT NOT NULL DEFAULT '{}',"
	" prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),"
	" hash TEXT NOT NULL CHECK (length(hash) = 64));"
	"CREATE INDEX audit_log_actor ON audit_log(actor, id);"
	"CREATE INDEX audit_log_action ON audit_log(action, id);"
	"CREATE INDEX audit_log_time ON audit_log(time);"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN"
	" SELECT RAISE(ABORT, 'nhật ký kiểm toán chỉ được ghi thêm, không sửa"
	" — the audit log is append-only: no UPDATE'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN"
	" SELECT RAISE(ABORT, 'nhật ký kiểm toán chỉ được ghi thêm, không xoá"
	" — the audit log is append-only: no DELETE'); END;";

/* The findings workflow of the console (store_sqlite_workflow.c): what
 * people did about a finding, per host and check, and each action. Read
 * beside the findings; ingestion never writes here. The partial index
 * serves the findings-by-check page (open failing rows per check). */
static const char store_schema_v4[] =
	"CREATE TABLE finding_workflow ("
	" hid INTEGER NOT NULL REFERENCES hosts(hid),"
	" check_id TEXT NOT NULL,"
	" assignee_id INTEGER NOT NULL DEFAULT 0,"
	" assigned_by TEXT, assigned_at INTEGER NOT NULL DEFAULT 0,"
	" accept_reason TEXT, accepted_by TEXT,"
	" accepted_at INTEGER NOT NULL DEFAULT 0,"
	" accepted_until INTEGER NOT NULL DEFAULT 0,"
	" fixed_by TEXT, fixed_at INTEGER NOT NULL DEFAULT 0,"
	" ack_by TEXT, ack_at INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (hid, check_id)) WITHOUT ROWID;"
	"CREATE TABLE finding_actions ("
	" id INTEGER PRIMARY KEY,"
	" hid INTEGER NOT NULL REFERENCES hosts(hid),"
	" check_id TEXT NOT NULL,"
	" time INTEGER NOT NULL,"
	" actor TEXT NOT NULL,"
	" action TEXT NOT NULL CHECK (action IN"
	"  ('assign', 'accept', 'fixed', 'ack')),"
	" assignee_id INTEGER NOT NULL DEFAULT 0,"
	" reason TEXT CHECK (reason IS NULL OR length(reason) <= 4000),"
	" until INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX finding_actions_finding ON"
	" finding_actions(hid, check_id, time);"
	"CREATE INDEX findings_open_check ON findings(check_id, status, hid)"
	" WHERE resolved = 0;";

/* The console's reading pages (store_sqlite_console.c): the oldest open
 * findings of a severity, across the ward or a unit, walk this index in
 * order and stop at the page's size instead of sorting every open row. */
static const char store_schema_v5[] =
	"CREATE INDEX findings_open_severity ON findings(severity, first_seen)"
	" WHERE resolved = 0;";

/*
 * Aggregates the console reads instead of recomputing them per page (and
 * two indexes of its queries), kept in the transaction that changes what
 * they sum and filled here from what the store holds. The macros below
 * are part of this migration: a later change is a new migration.
 *
 * host_points: the directive points 1-8 of each host's latest report
 * (latest by collected_at, then id), as its summary.points gives them
 * (docs/api.md): a count that is not an integer taken as 0, counts
 * clamped to 0-100000, the score kept only when a number within 0-100.
 * store_console_points sums them instead of parsing the JSON of every
 * host's report on each page. store_batch rewrites a host's rows when a
 * report becomes its latest (a trigger cannot: JSON functions are not
 * allowed in the schema with trusted_schema off).
 *
 * check_failing: per unit and check, the hosts whose finding of that
 * check is open and failing (status fail, resolved 0), for the
 * findings-by-check page instead of counting the open findings; kept by
 * triggers on findings (whoever writes them: store_batch, or the bench's
 * fill) and moved along when a host changes unit.
 */
#define POINT_COUNT(m) "max(0, min(100000, CASE json_type(e.value, '$." m \
	"') WHEN 'integer' THEN json_extract(e.value, '$." m "') ELSE 0 END))"
#define POINT_COLUMNS \
	" CAST(e.key AS INTEGER), " POINT_COUNT("pass") ", " \
	POINT_COUNT("fail") ", " POINT_COUNT("na") ", " POINT_COUNT("error") \
	", CASE WHEN json_type(e.value, '$.score') IN ('integer', 'real')" \
	" AND json_extract(e.value, '$.score') BETWEEN 0 AND 100" \
	" THEN json_extract(e.value, '$.score') END"
#define POINT_EACH(summary) \
	" json_each(CASE WHEN json_valid(" summary ") AND" \
	" json_type(" summary ", '$.points') = 'object' THEN " summary \
	" ELSE '{\"points\":{}}' END, '$.points') e"
#define POINT_KEYS \
	" e.key IN ('1', '2', '3', '4', '5', '6', '7', '8')" \
	" AND e.type = 'object'"
#define FAILING(f) " " f ".resolved = 0 AND " f ".status = 'fail'"

static const char store_schema_v6[] =
	"CREATE TABLE host_points ("
	" hid INTEGER NOT NULL REFERENCES hosts(hid),"
	" point INTEGER NOT NULL CHECK (point BETWEEN 1 AND 8),"
	" pass INTEGER NOT NULL, fail INTEGER NOT NULL,"
	" na INTEGER NOT NULL, error INTEGER NOT NULL,"
	" score REAL,"				/* NULL: none */
	" PRIMARY KEY (hid, point)) WITHOUT ROWID;"
	"INSERT OR REPLACE INTO host_points(hid, point, pass, fail, na, error,"
	" score) SELECT h.hid," POINT_COLUMNS " FROM hosts h"
	" JOIN reports r ON r.id = (SELECT r2.id FROM reports r2"
	"  WHERE r2.hid = h.hid ORDER BY r2.collected_at DESC, r2.id DESC"
	"  LIMIT 1)," POINT_EACH("r.summary") " WHERE" POINT_KEYS ";"

	/* the few revoked agents, for "is this host's agent revoked"; the
	 * hosts by last contact, for the silent ones; what the units' table
	 * sums of their hosts, read from the index alone */
	"CREATE INDEX agents_revoked ON agents(id) WHERE revoked_at != 0;"
	"CREATE INDEX hosts_last_seen ON hosts(last_seen);"
	"CREATE INDEX hosts_unit_stats ON hosts(unit_id, agent_id, score,"
	" open_critical, open_high, last_seen);"

	"CREATE TABLE check_failing ("
	" unit_id INTEGER NOT NULL,"
	" check_id TEXT NOT NULL,"
	" hosts INTEGER NOT NULL,"
	" PRIMARY KEY (unit_id, check_id)) WITHOUT ROWID;"
	"INSERT INTO check_failing(unit_id, check_id, hosts)"
	" SELECT h.unit_id, f.check_id, count(*) FROM findings f"
	" JOIN hosts h ON h.hid = f.hid WHERE" FAILING("f")
	" GROUP BY h.unit_id, f.check_id;"
	"CREATE TRIGGER findings_failing_added AFTER INSERT ON findings"
	" WHEN" FAILING("new") " BEGIN"
	" INSERT INTO check_failing(unit_id, check_id, hosts)"
	" SELECT unit_id, new.check_id, 1 FROM hosts WHERE hid = new.hid"
	" ON CONFLICT(unit_id, check_id) DO UPDATE SET hosts = hosts + 1;"
	" END;"
	"CREATE TRIGGER findings_failing_removed AFTER DELETE ON findings"
	" WHEN" FAILING("old") " BEGIN"
	" UPDATE check_failing SET hosts = hosts - 1"
	" WHERE check_id = old.check_id"
	" AND unit_id = (SELECT unit_id FROM hosts WHERE hid = old.hid);"
	" END;"
	"CREATE TRIGGER findings_failing_changed AFTER UPDATE OF hid, check_id,"
	" status, resolved ON findings"
	" WHEN (" FAILING("old") ") != (" FAILING("new") ")"
	" OR ((" FAILING("old") ") AND (old.hid != new.hid"
	"  OR old.check_id != new.check_id)) BEGIN"
	" UPDATE check_failing SET hosts = hosts - 1"
	" WHERE" FAILING("old") " AND check_id = old.check_id"
	" AND unit_id = (SELECT unit_id FROM hosts WHERE hid = old.hid);"
	" INSERT INTO check_failing(unit_id, check_id, hosts)"
	" SELECT unit_id, new.check_id, 1 FROM hosts WHERE hid = new.hid"
	" AND" FAILING("new")
	" ON CONFLICT(unit_id, check_id) DO UPDATE SET hosts = hosts + 1;"
	" END;"
	"CREATE TRIGGER hosts_unit_failing AFTER UPDATE OF unit_id ON hosts"
	" WHEN old.unit_id != new.unit_id BEGIN"
	" UPDATE check_failing SET hosts = hosts - 1"
	" WHERE unit_id = old.unit_id AND check_id IN (SELECT f.check_id"
	"  FROM findings f WHERE f.hid = new.hid AND" FAILING("f") ");"
	" INSERT INTO check_failing(unit_id, check_id, hosts)"
	" SELECT new.unit_id, f.check_id, 1 FROM findings f"
	" WHERE f.hid = new.hid AND" FAILING("f")
	" ON CONFLICT(unit_id, check_id) DO UPDATE SET hosts = hosts + 1;"
	" END;";

/*
 * The portal monitor's registry (issue 6, docs/sites.md,
 * store_sqlite_site.c): the URLs each unit has watched, each with its
 * interval and when it is next due. The alerts of a round become the
 * findings of a host row per site origin (hosts.id "site:" + origin,
 * os_id 'web-portal', no agent), written by the findings code of
 * ingestion: no table of their own.
 */
static const char store_schema_v7[] =
	"CREATE TABLE sites ("
	" id INTEGER PRIMARY KEY,"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" url TEXT NOT NULL UNIQUE CHECK (length(url) BETWEEN 8 AND 2048),"
	" origin TEXT NOT NULL,"
	" interval INTEGER NOT NULL DEFAULT 900"
	"  CHECK (interval BETWEEN 60 AND 86400),"
	" sitemap INTEGER NOT NULL DEFAULT 0,"
	" added_by TEXT NOT NULL DEFAULT '',"
	" added_at INTEGER NOT NULL,"
	" last_checked INTEGER NOT NULL DEFAULT 0,"
	" next_due INTEGER NOT NULL DEFAULT 0,"
	" last_error TEXT);"
	"CREATE INDEX sites_unit ON sites(unit_id, url);"
	"CREATE INDEX sites_origin ON sites(origin);"
	"CREATE INDEX sites_due ON sites(next_due);";

const char *const store_migrations[] = {
	store_schema_v1,
	store_schema_v2,
	store_schema_v3,
	store_schema_v4,
	store_schema_v5,
	store_schema_v6,
	store_schema_v7,
};
const size_t store_nmigrations =
    sizeof(store_migrations) / sizeof(store_migrations[0]);
