// console.mjs — the browser test of the web console (issue 4): Debian's
// chromium, headless, driven by playwright-core against a canhgacd that
// tests/browser/run.sh started on 127.0.0.1 and filled with users and real
// agents. A supervisor signs in, sets up TOTP (the secret read from the
// page, the code from oathtool), sees the overview, opens a host and the
// hostile host (its markup must stay text: no dialog, no script), assigns
// a finding and accepts its risk through the forms, and exports XLSX (a
// download starting with "PK"). A unit IT officer then signs in and is
// refused the other unit's host by URL and the other unit's export (404,
// no download), while the own unit's export works. Every step leaves a
// screenshot in $CG_T (build/tests/browser/NN-name.png) as an artefact.
// Anything unexpected fails the test with a bilingual message and a
// screenshot of where it happened; the exit status is then 1.
//
// Input (environment, set by run.sh): CG_URL, CG_T, CG_PIDS (the file of
// process ids run.sh kills at the end: the browser's goes there), CG_SUP
// and CG_SUP_PW (a file), CG_IT and CG_IT_PW, CG_UID_IT, CG_H1 (a host of
// unit 1), CG_H2 (the hostile host, unit 2), CG_U1, CG_U2, CG_CHECK (a
// check failing on CG_H1), CG_H2_NAME (the hostile host's name as sent).

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const env = (k) => {
	const v = process.env[k];
	if (v === undefined || v === '') {
		console.error(`thiếu biến môi trường ${k} — missing environment variable ${k}`);
		process.exit(2);
	}
	return v;
};

const URL0 = env('CG_URL');
const T = env('CG_T');
const PIDS = env('CG_PIDS');
const SUP = env('CG_SUP');
const SUP_PW = readFileSync(env('CG_SUP_PW'), 'utf8').trim();
const IT = env('CG_IT');
const IT_PW = readFileSync(env('CG_IT_PW'), 'utf8').trim();
const UID_IT = env('CG_UID_IT');
const H1 = env('CG_H1');
const H2 = env('CG_H2');
const U1 = env('CG_U1');
const U2 = env('CG_U2');
const CHECK = env('CG_CHECK');
const H2_NAME = env('CG_H2_NAME');
const CHROMIUM = process.env.CG_CHROMIUM || '/usr/bin/chromium';

const t0 = Date.now();
let shot = 0;
let page = null;
const problems = []; // what the browser itself reported: dialogs, errors

class Fail extends Error {}

function step(what) {
	console.log(`== [${Math.round((Date.now() - t0) / 1000)}s] ${what}`);
}

function check(ok, vi, en) {
	if (!ok)
		throw new Fail(`${vi} — ${en}`);
}

// screenshot NAME [FULL]: the whole page, or only the 1366×768 window for
// the host pages, which are tens of thousands of pixels tall.
async function screenshot(name, fullPage = true) {
	shot++;
	const f = join(T, `${String(shot).padStart(2, '0')}-${name}.png`);
	await page.screenshot({ path: f, fullPage });
	return f;
}

// watch: what a page must never do — open a dialog (markup from an agent
// run as script), throw, or log an error (a CSP violation is one).
function watch(p, who) {
	p.on('dialog', async (d) => {
		problems.push(`${who}: hộp thoại “${d.message()}” — a dialog opened (script ran): “${d.message()}” on ${p.url()}`);
		await d.dismiss().catch(() => {});
	});
	p.on('pageerror', (e) => {
		problems.push(`${who}: lỗi JavaScript — a script error on ${p.url()}: ${e.message}`);
	});
	p.on('console', (m) => {
		if (m.type() === 'error' && !/status of 404/.test(m.text()))
			problems.push(`${who}: lỗi trong console — a console error on ${p.url()}: ${m.text()}`);
	});
}

function noProblems() {
	check(problems.length === 0, problems.join('\n'), 'the browser reported the above');
}

function path(p) {
	return new URL(p.url()).pathname;
}

async function go(p, where, status = 200) {
	const r = await p.goto(URL0 + where);
	check(r !== null, `không có trả lời cho ${where}`, `no response for ${where}`);
	check(r.status() === status,
	    `${where}: mã ${r.status()}, cần ${status}`,
	    `${where}: status ${r.status()}, want ${status}`);
	return r;
}

async function expectPath(p, want) {
	await p.waitForURL((u) => u.pathname === want, { timeout: 15000 }).catch(() => {});
	check(path(p) === want, `đang ở ${p.url()}, cần ${want}`,
	    `at ${p.url()}, want ${want}`);
}

// submit: clicks a form's button and waits for the page it leads to.
async function submit(p, button) {
	await Promise.all([
		p.waitForNavigation({ waitUntil: 'load', timeout: 20000 }),
		button.click(),
	]);
}

async function signin(p, login, password) {
	await go(p, '/dang-nhap');
	await p.fill('#login', login);
	await p.fill('#password', password);
	await screenshot(`dang-nhap-${login}`);
	await submit(p, p.locator('form[action="/dang-nhap"] button[type=submit]'));
}

function totp(secret) {
	return execFileSync('oathtool', ['--totp', '-b', secret], {
		encoding: 'utf8', timeout: 5000,
	}).trim();
}

async function sessionCookie(ctx) {
	const c = (await ctx.cookies(URL0)).find((x) => x.name === 'cg_session');
	return c;
}

// download: clicks a link and waits for the file; returns its path.
async function download(p, link, name) {
	const [d] = await Promise.all([
		p.waitForEvent('download', { timeout: 20000 }),
		link.click(),
	]);
	const f = join(T, name);
	await d.saveAs(f);
	const why = await d.failure();
	check(why === null, `${name}: tải về lỗi ${why}`, `${name}: the download failed: ${why}`);
	const head = readFileSync(f).subarray(0, 2).toString('latin1');
	check(head === 'PK', `${name} không bắt đầu bằng PK (${JSON.stringify(head)})`,
	    `${name} does not start with PK (${JSON.stringify(head)})`);
	check(/\.xlsx$/.test(d.suggestedFilename()),
	    `tên tệp tải về “${d.suggestedFilename()}” không phải .xlsx`,
	    `the downloaded file's name “${d.suggestedFilename()}” is not .xlsx`);
	return { file: f, size: statSync(f).size, url: d.url() };
}

// refusedExport: a URL of an export that must answer 404 with the HTML
// page, not a file.
async function refusedExport(p, where) {
	let got = null;
	const onDl = (d) => { got = d; };
	p.on('download', onDl);
	let r = null;
	try {
		r = await p.goto(URL0 + where);
	} catch (e) {
		// goto throws when the answer is a download
		if (!/Download is starting/.test(String(e)))
			throw e;
	}
	p.off('download', onDl);
	check(got === null, `${where}: tệp được tải về`, `${where}: a file was downloaded`);
	check(r !== null && r.status() === 404,
	    `${where}: mã ${r && r.status()}, cần 404`,
	    `${where}: status ${r && r.status()}, want 404`);
	const ct = r.headers()['content-type'] || '';
	check(/^text\/html/.test(ct), `${where}: kiểu nội dung ${ct}`,
	    `${where}: content type ${ct}, want the HTML 404 page`);
}

async function main() {
	const server = await chromium.launchServer({
		executablePath: CHROMIUM,
		headless: true,
		args: (process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [])
		    .concat(['--disable-dev-shm-usage', '--no-proxy-server']),
		timeout: 60000,
	});
	appendFileSync(PIDS, `${server.process().pid}\n`);
	const browser = await chromium.connect(server.wsEndpoint());
	try {
		await scenario(browser);
	} catch (e) {
		if (page !== null) {
			try {
				const f = await screenshot('loi');
				console.error(`ảnh chụp lúc lỗi — screenshot at the failure: ${f} (${page.url()})`);
			} catch { /* the page may be gone */ }
		}
		throw e;
	} finally {
		await browser.close().catch(() => {});
		await server.close().catch(() => {});
	}
}

async function scenario(browser) {
	const opts = {
		ignoreHTTPSErrors: true, // loopback, the test's own CA
		acceptDownloads: true,
		viewport: { width: 1366, height: 768 },
		locale: 'vi-VN',
	};

	// ---- the supervisor -------------------------------------------------
	const sup = await browser.newContext(opts);
	page = await sup.newPage();
	watch(page, SUP);

	step('giám sát: đăng nhập, thiết lập TOTP — supervisor: sign in, set up TOTP');
	await signin(page, SUP, SUP_PW);
	await expectPath(page, '/xac-thuc/thiet-lap');
	const pending = await sessionCookie(sup);
	check(pending !== undefined, 'không có cookie phiên sau mật khẩu',
	    'no session cookie after the password');
	check(pending.httpOnly && pending.secure && pending.sameSite === 'Strict',
	    `cookie phiên thiếu thuộc tính: ${JSON.stringify(pending)}`,
	    `the session cookie lacks HttpOnly, Secure or SameSite=Strict: ${JSON.stringify(pending)}`);
	await page.locator('svg.qr').first().waitFor({ timeout: 5000 });
	const secret = (await page.locator('code.secret').first().textContent())
	    .replace(/\s+/g, '');
	check(/^[A-Z2-7]{32}$/.test(secret), `khóa bí mật “${secret}” không hợp lệ`,
	    `the secret “${secret}” is not 32 base32 characters`);
	await screenshot('thiet-lap-totp');
	await page.fill('#ma', totp(secret));
	await submit(page, page.locator('form[action="/xac-thuc/thiet-lap"] button[type=submit]'));
	await expectPath(page, '/tong-quan');
	const full = await sessionCookie(sup);
	check(full !== undefined && full.value !== pending.value,
	    'mã phiên không đổi sau bước TOTP',
	    'the session id did not change after the second factor');

	step('giám sát: tổng quan — supervisor: the overview');
	check(await page.locator('svg.chart').count() >= 2,
	    'tổng quan không có biểu đồ SVG', 'the overview has no SVG charts');
	check(await page.locator(`a[href="/don-vi/${U1}"]`).count() >= 1,
	    'tổng quan không có liên kết tới đơn vị 1', 'the overview has no link to unit 1');
	await screenshot('tong-quan-giam-sat');

	step('giám sát: danh sách máy, mở một máy — supervisor: the hosts, open one');
	await page.locator('nav.menu a[href="/may"]').click();
	await expectPath(page, '/may');
	check(await page.locator(`a[href="/may/${H2}"]`).count() >= 1,
	    'danh sách máy thiếu máy của đơn vị 2', 'the hosts list lacks the host of unit 2');
	await screenshot('danh-sach-may');
	await page.locator(`a[href="/may/${H1}"]`).first().click();
	await expectPath(page, `/may/${H1}`);
	check((await page.locator('main').textContent()).includes(CHECK),
	    `trang máy không có tiêu chí ${CHECK}`, `the host page lacks the check ${CHECK}`);
	await screenshot('chi-tiet-may', false);

	step('giám sát: máy có tên chứa mã độc hiện ra như chữ — supervisor: the hostile host is inert text');
	await go(page, `/may/${H2}`);
	const h1 = (await page.locator('main h1').first().textContent()).trim();
	check(h1.startsWith(H2_NAME), `tiêu đề “${h1}” không phải tên máy nguyên văn`,
	    `the heading “${h1}” is not the host name as text`);
	check(await page.locator('main script, main img').count() === 0,
	    'trang máy có thẻ script hoặc img', 'the host page has a script or img element');
	await screenshot('may-doc-hai', false);
	noProblems();

	step('giám sát: phát hiện theo tiêu chí, giao việc — supervisor: findings by check, assign');
	await page.locator('nav.menu a[href="/tieu-chi"]').click();
	await expectPath(page, '/tieu-chi');
	await page.locator(`a[href="/tieu-chi/${CHECK}"]`).first().click();
	await expectPath(page, `/tieu-chi/${CHECK}`);
	const fpath = `/may/${H1}/phat-hien/${CHECK}`;
	await page.locator(`a[href="${fpath}"]`).first().click();
	await expectPath(page, fpath);
	await screenshot('phat-hien');
	await page.locator('details.wf-forms > summary').click();
	const assign = page.locator('form:has(input[name=action][value=assign])');
	await assign.locator('select[name=user]').selectOption(UID_IT);
	await screenshot('giao-viec');
	await submit(page, assign.locator('button[type=submit]'));
	await expectPath(page, fpath);
	check(new URL(page.url()).searchParams.get('done') === 'assign',
	    `sau giao việc ở ${page.url()}`, `after assigning, at ${page.url()}`);
	await page.locator('p.notice[role=status]').waitFor({ timeout: 5000 });
	check((await page.locator('.wf').textContent()).includes(IT),
	    `người được giao (${IT}) không hiện`, `the assignee (${IT}) is not shown`);
	await screenshot('da-giao-viec');

	step('giám sát: chấp nhận rủi ro — supervisor: accept the risk');
	await page.locator('details.wf-forms > summary').click();
	const accept = page.locator('form:has(input[name=action][value=accept])');
	const reason = 'Máy sẽ được thay trong quý tới; <b>không</b> cần đổi cấu hình.';
	await accept.locator('textarea[name=reason]').fill(reason);
	const until = await accept.locator('input[name=until]').inputValue();
	check(/^\d{4}-\d{2}-\d{2}$/.test(until), `hạn mặc định “${until}”`,
	    `the default expiry “${until}” is not a date`);
	await screenshot('chap-nhan-rui-ro');
	await submit(page, accept.locator('button[type=submit]'));
	await expectPath(page, fpath);
	check(new URL(page.url()).searchParams.get('done') === 'accept',
	    `sau chấp nhận ở ${page.url()}`, `after accepting, at ${page.url()}`);
	check(await page.locator('.wf .tag.wf-accepted').count() === 1,
	    'trạng thái không phải “rủi ro được chấp nhận”',
	    'the state is not “risk accepted”');
	const wf = await page.locator('.wf').textContent();
	check(wf.includes(reason), 'lý do không hiện nguyên văn',
	    'the reason is not shown as text');
	check(await page.locator('.wf b').count() === 0,
	    'lý do được hiển thị như mã HTML', 'the reason was rendered as markup');
	check(await page.locator('table.grid tbody tr').count() >= 2,
	    'lịch sử thiếu giao việc hoặc chấp nhận',
	    'the history lacks the assignment or the acceptance');
	await screenshot('da-chap-nhan');

	step('giám sát: xuất XLSX — supervisor: export XLSX');
	await page.locator('nav.menu a[href="/tieu-chi"]').click();
	await expectPath(page, '/tieu-chi');
	const x1 = await download(page, page.locator('p.exports a', { hasText: 'XLSX' }),
	    'giam-sat-phat-hien.xlsx');
	console.log(`   ${x1.url} → ${x1.file} (${x1.size} byte)`);
	await screenshot('xuat-xlsx');
	noProblems();

	step('giám sát: đăng xuất — supervisor: sign out');
	await submit(page, page.locator('form[action="/dang-xuat"] button'));
	await expectPath(page, '/dang-nhap');
	await go(page, '/tong-quan').catch(() => {});
	await expectPath(page, '/dang-nhap');
	await sup.close();

	// ---- the unit IT officer of unit 1 ----------------------------------
	const it = await browser.newContext(opts);
	page = await it.newPage();
	watch(page, IT);

	step('cán bộ CNTT: đăng nhập, tổng quan — unit IT officer: sign in, overview');
	await signin(page, IT, IT_PW);
	await expectPath(page, '/tong-quan');
	check(await page.locator(`a[href="/may/${H2}"], a[href="/don-vi/${U2}"]`).count() === 0,
	    'tổng quan của cán bộ CNTT có đơn vị 2',
	    'the IT officer\'s overview shows unit 2');
	await screenshot('tong-quan-cntt');

	step('cán bộ CNTT: máy của đơn vị khác theo địa chỉ — unit IT officer: another unit\'s host by URL');
	await go(page, `/may/${H2}`, 404);
	const body = await page.locator('body').textContent();
	check(!body.includes(H2_NAME) && !body.includes('alert('),
	    'trang 404 lộ tên máy của đơn vị khác',
	    'the 404 page shows the other unit\'s host name');
	await screenshot('may-don-vi-khac-404');
	await go(page, `/may/${H2}/phat-hien/${CHECK}`, 404);
	await go(page, `/tieu-chi?don-vi=${U2}`, 404);

	step('cán bộ CNTT: xuất của đơn vị khác — unit IT officer: another unit\'s export');
	await refusedExport(page, `/xuat/phat-hien.xlsx?don-vi=${U2}`);
	await screenshot('xuat-don-vi-khac-404');
	await refusedExport(page, `/xuat/may.xlsx?don-vi=${U2}`);
	await refusedExport(page, `/xuat/phat-hien.xlsx?may=${H2}`);

	step('cán bộ CNTT: xuất của đơn vị mình — unit IT officer: the own unit\'s export');
	await go(page, `/tieu-chi?don-vi=${U1}`);
	const x2 = await download(page, page.locator('p.exports a', { hasText: 'XLSX' }),
	    'cntt-phat-hien.xlsx');
	console.log(`   ${x2.url} → ${x2.file} (${x2.size} byte)`);
	await screenshot('xuat-don-vi-minh');
	noProblems();
	await it.close();
	page = null;
}

let rc = 0;
const guard = setTimeout(() => {
	console.error('không đạt / FAIL: kiểm thử trình duyệt quá 180 giây — the browser test took over 180 s');
	process.exit(1);
}, 180000);
try {
	await main();
	console.log(`đạt / pass (${shot} ảnh chụp màn hình — screenshots in ${T}, ${Math.round((Date.now() - t0) / 1000)}s)`);
} catch (e) {
	rc = 1;
	if (e instanceof Fail)
		console.error(`không đạt / FAIL: ${e.message}`);
	else
		console.error(`không đạt / FAIL: lỗi của trình duyệt — a browser error: ${e && e.stack || e}`);
	if (problems.length > 0)
		console.error(problems.join('\n'));
}
clearTimeout(guard);
process.exit(rc);
