-- console-fill.sql — fills a fresh store (made by `canhgac init`) with a
-- ward of 5,000 hosts in 10 units and 300 findings each (1.5 million rows)
-- for the console benchmark (bench/console.sh, bench/README.md). Read by
-- the sqlite3 shell after the caller made the temp table fill_param
-- (report: the JSON of a real `canhgac-agent audit`, now: UTC seconds,
-- hosts, per_host). The checks, their severities, points, titles, remedies,
-- basis and evidence are those of the real report; past its 91 checks the
-- ids repeat as <check>-r<n>, as bench/ingest.c does. Everything else is
-- derived from a fixed hash of (host, check): two fills are identical.
-- The caller checks that the store is empty (ids are given, not looked
-- up). No ANALYZE: canhgacd never runs it, so the plans are the real ones.
-- Columns and their meaning: src/server/store_schema.c.

PRAGMA foreign_keys = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
BEGIN;

-- The hashes below multiply small integers only: a product past 2^63
-- would turn into a REAL.
CREATE TEMP VIEW fill_p AS SELECT now, hosts, per_host,
    now - ((now % 86400) + 86400) % 86400 AS today FROM fill_param;

CREATE TEMP TABLE fill_tpl AS
SELECT CAST(e.key AS INTEGER) AS k,
    json_extract(e.value, '$.check') AS check_id,
    json_extract(e.value, '$.status') AS status,
    json_extract(e.value, '$.severity') AS severity,
    json_extract(e.value, '$.point') AS point,
    json_extract(e.value, '$.title.vi') AS title_vi,
    json_extract(e.value, '$.title.en') AS title_en,
    json_extract(e.value, '$.remedy.vi') AS remedy_vi,
    json_extract(e.value, '$.remedy.en') AS remedy_en,
    json(json_extract(e.value, '$.basis')) AS basis,
    json_extract(e.value, '$.evidence') AS evidence
FROM fill_param, json_each(CAST(fill_param.report AS TEXT), '$.findings') e;

-- The catalogue: per_host checks, k = 0 .. per_host - 1.
CREATE TEMP TABLE fill_cat AS
WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq
    WHERE k + 1 < (SELECT per_host FROM fill_p)),
n(n) AS (SELECT count(*) FROM fill_tpl)
SELECT seq.k AS k,
    CASE WHEN seq.k / n.n = 0 THEN t.check_id
        ELSE t.check_id || '-r' || (seq.k / n.n) END AS check_id,
    t.status AS tstatus, t.severity, t.point,
    CASE t.severity WHEN 'critical' THEN 8 WHEN 'high' THEN 4
        WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END AS w,
    t.title_vi, t.title_en, t.remedy_vi, t.remedy_en, t.basis, t.evidence
FROM seq, n JOIN fill_tpl t ON t.k = seq.k % n.n;

INSERT INTO checks(id, severity, point, title_vi, title_en, remedy_vi,
    remedy_en, basis)
SELECT check_id, severity, point, title_vi, title_en, remedy_vi, remedy_en,
    basis FROM fill_cat WHERE 1
ON CONFLICT(id) DO NOTHING;

-- Ten units of a ward, of uneven sizes (shares of 1,000).
CREATE TEMP TABLE fill_unit(id INTEGER PRIMARY KEY, name TEXT, slug TEXT,
    share INTEGER, lo INTEGER, hi INTEGER);
INSERT INTO fill_unit(id, name, slug, share) VALUES
    (1, 'Văn phòng HĐND và UBND phường', 'vp', 220),
    (2, 'Trung tâm Phục vụ hành chính công', 'hcc', 160),
    (3, 'Phòng Kinh tế, Hạ tầng và Đô thị', 'kt', 130),
    (4, 'Phòng Văn hóa - Xã hội', 'vhxh', 110),
    (5, 'Công an phường', 'ca', 100),
    (6, 'Trạm Y tế phường', 'yt', 80),
    (7, 'Trường THCS Thái Hòa', 'thcs', 70),
    (8, 'Ban Chỉ huy Quân sự phường', 'qs', 50),
    (9, 'Đảng ủy phường', 'du', 45),
    (10, 'Ủy ban MTTQ Việt Nam phường', 'mttq', 35);
UPDATE fill_unit SET
    lo = (SELECT coalesce(sum(share), 0) FROM fill_unit u2 WHERE u2.id <
        fill_unit.id) * (SELECT hosts FROM fill_p) / 1000 + 1,
    hi = (SELECT sum(share) FROM fill_unit u2 WHERE u2.id <= fill_unit.id) *
        (SELECT hosts FROM fill_p) / 1000;
INSERT INTO units(id, name) SELECT id, name FROM fill_unit;

-- Hosts: hid n = 1 .. hosts. About 4 % silent for 2-30 days, 0.4 % with
-- a revoked agent; fail rate per host from 5.5 % to 53 %, worse in the
-- later units (a per-unit base and a per-host spread).
CREATE TEMP TABLE fill_host AS
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq
    WHERE n < (SELECT hosts FROM fill_p))
SELECT seq.n AS n, u.id AS unit_id, u.slug, seq.n - u.lo + 1 AS idx,
    printf('h-%08x%08x%08x%06x', (seq.n * 2654435761) % 4294967291,
        (seq.n * 40503 + 7) % 4294967291, (seq.n * 97 + 13) * 2246822519 %
        4294967291, seq.n) AS id,
    printf('a-%08x%08x%06x', (seq.n * 1103515245 + 12345) % 4294967291,
        (seq.n * 69069 + 1) % 4294967291, seq.n) AS agent_id,
    (seq.n * 7919) % 1000 AS r1,
    (seq.n * 104729 + 17) % 1000 AS r2,
    30 + 25 * u.id + (seq.n * 7877 + 3) % 250 AS failpm
FROM seq JOIN fill_unit u ON seq.n BETWEEN u.lo AND u.hi;

CREATE TEMP TABLE fill_host2 AS
SELECT h.*,
    p.now - 86400 * (40 + h.r1 % 300) AS first_seen,
    CASE WHEN h.r2 < 40 THEN p.now - 86400 * (2 + h.r1 % 29) - h.r2 * 60
        ELSE p.now - (h.r1 * 37) % 300 END AS last_seen,
    CASE WHEN h.r2 < 40 THEN p.now - 86400 * (2 + h.r1 % 29) - h.r2 * 60
        - 300 ELSE p.now - (h.r1 * 131) % 3600 END AS report_at,
    CASE WHEN h.n % 250 = 0 THEN p.now - 86400 * (1 + h.r2 % 20)
        ELSE 0 END AS revoked_at,
    CASE h.n % 20
        WHEN 0 THEN 'Debian GNU/Linux 11 (bullseye)'
        WHEN 1 THEN 'Debian GNU/Linux 12 (bookworm)'
        WHEN 2 THEN 'Debian GNU/Linux 12 (bookworm)'
        WHEN 3 THEN 'Ubuntu 20.04.6 LTS'
        WHEN 4 THEN 'Ubuntu 24.04.1 LTS'
        ELSE 'Ubuntu 22.04.4 LTS' END AS os_name,
    CASE h.n % 20 WHEN 0 THEN 'debian' WHEN 1 THEN 'debian'
        WHEN 2 THEN 'debian' ELSE 'ubuntu' END AS os_id,
    CASE h.n % 20 WHEN 0 THEN '11' WHEN 1 THEN '12' WHEN 2 THEN '12'
        WHEN 3 THEN '20.04' WHEN 4 THEN '24.04' ELSE '22.04' END
        AS os_version,
    CASE h.n % 20 WHEN 0 THEN '5.10.0-32-amd64' WHEN 1 THEN
        '6.1.0-26-amd64' WHEN 2 THEN '6.1.0-26-amd64' WHEN 3 THEN
        '5.4.0-200-generic' WHEN 4 THEN '6.8.0-48-generic' ELSE
        '5.15.0-125-generic' END AS kernel,
    CASE WHEN h.idx % 40 = 1 THEN 'mc' WHEN h.idx % 7 = 3 THEN 'laptop'
        WHEN h.idx % 11 = 5 THEN 'ketoan' ELSE 'pc' END AS kind,
    CASE WHEN h.idx % 40 = 1 THEN 3 ELSE 2 END AS level
FROM fill_host h, fill_p p;

INSERT INTO hosts(hid, id, hostname, unit_id, agent_id, os_id, os_name,
    os_version, kernel, arch, platform, level, report_at, first_seen,
    last_seen)
SELECT n, id, printf('%s-%s-%04d', slug, kind, idx), unit_id, agent_id,
    os_id, os_name, os_version, kernel, 'x86_64', 'linux', level, report_at,
    first_seen, last_seen
FROM fill_host2 ORDER BY n;

INSERT INTO agents(id, host_id, unit_id, token_id, cert_serial, enrolled,
    last_seen, revoked_at, version)
SELECT agent_id, id, unit_id, NULL, printf('%016x', n * 2654435761),
    first_seen, last_seen, revoked_at,
    CASE WHEN n % 9 = 0 THEN '0.0.9' ELSE '0.1.0' END
FROM fill_host2 ORDER BY n;

-- Findings: a check the real report found not applicable stays so on 90 %
-- of hosts; otherwise 0.8 % error, the host's fail rate (higher for low
-- severities, lower for critical ones), the rest pass. Open findings began
-- 0-120 days ago; a fifth of passing checks were fixed some days ago.
INSERT INTO findings(hid, check_id, status, severity, evidence, first_seen,
    last_seen, resolved)
SELECT n, check_id, status, severity, evidence,
    CASE WHEN status IN ('fail', 'error')
        THEN max(first_seen, now - 86400 * (r % 120) - r * 31)
        ELSE first_seen END,
    0,
    CASE WHEN status IN ('fail', 'error') THEN 0
        WHEN status = 'pass' AND r % 5 = 0
        THEN max(first_seen + 3600, now - 86400 * (r % 60) - r * 17)
        ELSE first_seen END
FROM (SELECT h.n, h.first_seen, c.check_id, c.severity, c.evidence, p.now,
    (h.n * 7919 + c.k * 104729 + h.n * c.k * 31) % 1000 AS r,
    CASE
    WHEN c.tstatus = 'na' AND (h.n * 13 + c.k * 7) % 10 < 9 THEN 'na'
    WHEN (h.n * 7919 + c.k * 104729 + h.n * c.k * 31) % 1000 < 8
        THEN 'error'
    WHEN (h.n * 6007 + c.k * 15485863 + h.n * c.k * 17) % 1000 <
        h.failpm * CASE c.severity WHEN 'critical' THEN 1 WHEN 'high'
        THEN 2 ELSE 3 END / 2 THEN 'fail'
    ELSE 'pass' END AS status
    FROM fill_host2 h, fill_cat c, fill_p p
    ORDER BY h.n, c.check_id);

-- The hosts' counts and scores (the agent's formula: src/agent/audit.c),
-- overall and per directive point.
CREATE TEMP TABLE fill_pagg AS
SELECT f.hid, c.point, sum(f.status = 'pass') AS pass,
    sum(f.status = 'fail') AS fail, sum(f.status = 'na') AS na,
    sum(f.status = 'error') AS error,
    sum(CASE WHEN f.status = 'pass' THEN c.w ELSE 0 END) AS wpass,
    sum(CASE WHEN f.status IN ('pass', 'fail') THEN c.w ELSE 0 END)
        AS wtotal,
    sum(f.resolved = 0) AS open,
    sum(f.resolved = 0 AND c.severity = 'critical') AS open_critical,
    sum(f.resolved = 0 AND c.severity = 'high') AS open_high
FROM findings f JOIN fill_cat c ON c.check_id = f.check_id
GROUP BY f.hid, c.point;

CREATE TEMP TABLE fill_agg AS
SELECT hid, sum(pass) AS pass, sum(fail) AS fail, sum(na) AS na,
    sum(error) AS error,
    CASE WHEN sum(wtotal) > 0 THEN (200 * sum(wpass) + sum(wtotal)) /
        (2 * sum(wtotal)) ELSE 100 END AS score,
    sum(open) AS open, sum(open_critical) AS open_critical,
    sum(open_high) AS open_high,
    json_object('pass', sum(pass), 'fail', sum(fail), 'na', sum(na),
        'error', sum(error), 'score', CASE WHEN sum(wtotal) > 0 THEN
        (200 * sum(wpass) + sum(wtotal)) / (2 * sum(wtotal)) ELSE 100 END,
        'points', json_group_object(point, json_object('pass', pass,
        'fail', fail, 'na', na, 'error', error, 'score', CASE WHEN wtotal >
        0 THEN (200 * wpass + wtotal) / (2 * wtotal) ELSE 100 END)))
        AS summary
FROM fill_pagg GROUP BY hid;

UPDATE hosts SET score = a.score, pass = a.pass, fail = a.fail, na = a.na,
    error = a.error, open_findings = a.open,
    open_critical = a.open_critical, open_high = a.open_high
FROM fill_agg a WHERE a.hid = hosts.hid;

-- Three reports a host, a day apart (one batch each), the latest with the
-- summary of the findings above, the older ones a little worse; one host
-- score per report.
CREATE TEMP TABLE fill_rep AS
WITH j(j) AS (VALUES (2), (1), (0))
SELECT (h.n - 1) * 3 + (2 - j.j) + 1 AS id, h.n, h.id AS host_id,
    h.agent_id, j.j, h.report_at - 86400 * j.j AS collected_at,
    max(0, a.score - 3 * j.j) AS score, a.pass, a.fail, a.na, a.error,
    CASE WHEN j.j = 0 THEN a.summary
        ELSE json_set(a.summary, '$.score', max(0, a.score - 3 * j.j)) END
        AS summary
FROM fill_host2 h JOIN fill_agg a ON a.hid = h.n, j;

INSERT INTO batches(id, agent_id, batch_id, received_at, reports)
SELECT id, agent_id, printf('b-%d-%d', n, j), collected_at + 2, 1
FROM fill_rep ORDER BY id;
INSERT INTO reports(id, hid, report_id, batch, collected_at, received_at,
    score, pass, fail, na, error, summary)
SELECT id, n, printf('r-%d-%d', n, j), id, collected_at, collected_at + 2,
    score, pass, fail, na, error, summary
FROM fill_rep ORDER BY id;
INSERT INTO scores(scope, name, time, score, hosts)
SELECT 'host', host_id, collected_at, score, 1 FROM fill_rep ORDER BY id;

-- Daily scores of the units and the ward over 90 days, climbing towards
-- today's: the overview's trend.
INSERT INTO scores(scope, name, time, score, hosts)
WITH RECURSIVE d(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM d
    WHERE d < 89),
cur AS (SELECT u.name, avg(h.score) AS score, count(*) AS hosts
    FROM hosts h JOIN units u ON u.id = h.unit_id GROUP BY u.id)
SELECT 'unit', cur.name, p.today - 86400 * d.d,
    max(0, cur.score - d.d * 0.25 - ((d.d * 37 + length(cur.name)) % 7)),
    cur.hosts
FROM cur, d, fill_p p;
INSERT INTO scores(scope, name, time, score, hosts)
WITH RECURSIVE d(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM d
    WHERE d < 89)
SELECT 'ward', '', p.today - 86400 * d.d,
    max(0, (SELECT avg(score) FROM hosts) - d.d * 0.25 - (d.d * 37) % 5),
    (SELECT count(*) FROM hosts)
FROM d, fill_p p;

-- Facts, as the real report has them, for one host in five (the others
-- reported before facts were collected); one history row per section.
INSERT INTO host_facts(hid, section, sha256, value, updated)
SELECT h.n, e.key, lower(hex(sha3(e.value, 256))), e.value, h.report_at
FROM fill_host2 h, fill_param pr,
    json_each(CAST(pr.report AS TEXT), '$.facts') e
WHERE h.n % 5 = 1 AND e.type IN ('object', 'array')
ORDER BY h.n, e.key;
INSERT INTO fact_history(hid, time, section, value)
SELECT hid, updated, section, value FROM host_facts ORDER BY hid, section;

-- The workflow on about 2 % of open findings: a risk accepted for 90 days,
-- acknowledged by the unit head.
INSERT INTO finding_workflow(hid, check_id, accept_reason, accepted_by,
    accepted_at, accepted_until, ack_by, ack_at)
SELECT f.hid, f.check_id,
    'Máy cũ chờ thay thế trong quý — an old machine to be replaced this quarter',
    'truongphong' || h.unit_id, p.now - 86400 * (f.id % 30),
    p.now - 86400 * (f.id % 30) + 90 * 86400,
    'truongphong' || h.unit_id, p.now - 86400 * (f.id % 30) + 600
FROM findings f JOIN hosts h ON h.hid = f.hid, fill_p p
WHERE f.resolved = 0 AND f.id % 50 = 7
ORDER BY f.hid, f.check_id;
INSERT INTO finding_actions(hid, check_id, time, actor, action, reason,
    until)
SELECT hid, check_id, accepted_at, accepted_by, 'accept', accept_reason,
    accepted_until FROM finding_workflow
UNION ALL
SELECT hid, check_id, ack_at, ack_by, 'ack', NULL, 0 FROM finding_workflow
ORDER BY 1, 2, 3;

-- The aggregates canhgacd keeps as reports arrive (src/server/
-- store_schema.c, migration 6): check_failing (open failing findings per
-- unit and check) was kept by its triggers as the findings went in;
-- host_points (the points of each host's latest report), which
-- store_batch writes, is computed here as the migration does.
INSERT OR REPLACE INTO host_points(hid, point, pass, fail, na, error, score)
SELECT h.hid, CAST(e.key AS INTEGER),
    max(0, min(100000, CASE json_type(e.value, '$.pass')
        WHEN 'integer' THEN json_extract(e.value, '$.pass') ELSE 0 END)),
    max(0, min(100000, CASE json_type(e.value, '$.fail')
        WHEN 'integer' THEN json_extract(e.value, '$.fail') ELSE 0 END)),
    max(0, min(100000, CASE json_type(e.value, '$.na')
        WHEN 'integer' THEN json_extract(e.value, '$.na') ELSE 0 END)),
    max(0, min(100000, CASE json_type(e.value, '$.error')
        WHEN 'integer' THEN json_extract(e.value, '$.error') ELSE 0 END)),
    CASE WHEN json_type(e.value, '$.score') IN ('integer', 'real')
        AND json_extract(e.value, '$.score') BETWEEN 0 AND 100
        THEN json_extract(e.value, '$.score') END
FROM hosts h JOIN reports r ON r.id = (SELECT r2.id FROM reports r2
        WHERE r2.hid = h.hid ORDER BY r2.collected_at DESC, r2.id DESC
        LIMIT 1),
    json_each(CASE WHEN json_valid(r.summary) AND
        json_type(r.summary, '$.points') = 'object' THEN r.summary
        ELSE '{"points":{}}' END, '$.points') e
WHERE e.key IN ('1', '2', '3', '4', '5', '6', '7', '8')
    AND e.type = 'object';

COMMIT;
PRAGMA foreign_keys = ON;
