// A real browser (Debian's headless Chromium through playwright-core) logs
// in with a code read back from the fake Twilio, connects the fake
// Kloudless account, sees it listed and removes it; then, on the WebDAV
// site, fills in the WebDAV form (a wrong password first, which must be
// refused and store nothing) and sees the account connected. No JavaScript
// runs in the pages themselves: this is the plain-HTML flow a phone would
// take.
//
// On the way, every page and state a user meets is checked at desktop size
// and on a 390x844 touch screen: axe-core (WCAG 2.1 A and AA) finds no
// violation, nothing scrolls sideways, every field has a label, and every
// control is a 44x44 CSS px target. Any console error, script error or failed request (an HTTP error
// the step did not ask for) fails the run.
//
// Usage: node flow.js BASE_URL FAKE_TWILIO_URL PHONE LOCAL_URL LOCAL_PHONE EXPIRED_LINK DAV
// (LOCAL_URL: the demo's set-up, local files and the phone simulator;
// EXPIRED_LINK: a /dl path whose link has expired; DAV: JSON of the
// WebDAV site and server, { site, user, password, psql, screens: { SCREEN:
// { phone, url } } }: a phone and folder for each screen, since a server
// account connects to one phone only. LOCAL_URL and DAV's site keep their
// SMS in the outbox, which DAV's psql reads; it finds the test database
// in PG*.)
// Prints one line per step, "ok <step>" or "not ok <step>: <why>", and
// exits non-zero when a step fails.
'use strict';

const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');
const axe = require('axe-core');

const [base, twilio, phone, local, localPhone, expiredLink, davJson] = process.argv.slice(2);
const dav = JSON.parse(davJson);
const failures = [];
let step = 'start';

const WCAG21 = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TARGET = 44;   // CSS px (WCAG 2.1 2.5.5)
const SCREENS = {
    desktop: { viewport: { width: 1280, height: 800 } },
    phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
             deviceScaleFactor: 3 },
};

function ok(name, cond, why) {
    if (cond) {
        console.log(`ok ${name}`);
    } else {
        console.log(`not ok ${name}: ${why}`);
        failures.push(name);
    }
}

// Whatever went wrong in the browser: console errors, script errors,
// failed requests and HTTP errors, less the statuses a step expects.
function watch(page, problems, expected) {
    const isExpected = (status, url) => expected.has(`${status} ${url}`);
    page.on('console', (msg) => {
        if (msg.type() !== 'error') {
            return;
        }
        const m = /status of (\d{3})/.exec(msg.text());
        if (m && isExpected(m[1], msg.location().url)) {
            return;
        }
        problems.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`script: ${e.message}`));
    page.on('requestfailed', (req) => {
        // cancelled by the browser itself: the next navigation began
        // before the icon came
        if (req.failure() && /ERR_ABORTED/.test(req.failure().errorText)) {
            return;
        }
        problems.push(`request failed: ${req.url()} ${req.failure() && req.failure().errorText}`);
    });
    page.on('response', (res) => {
        if (res.status() >= 400 && !isExpected(res.status(), res.url())) {
            problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
        }
    });
}

// axe, sideways scrolling and target sizes of the page as it is now.
async function audit(page, screen) {
    await page.evaluate(axe.source);
    const found = await page.evaluate(async (tags) => {
        const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags },
                                                   resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    }, WCAG21);
    const layout = await page.evaluate((min) => {
        const small = [], unlabelled = [];
        for (const el of document.querySelectorAll('button, input, select, textarea')) {
            if (el.type === 'hidden') {
                continue;
            }
            // a placeholder is no name: it is gone once something is typed
            if (el.tagName !== 'BUTTON' && el.labels.length === 0) {
                unlabelled.push(`${el.tagName.toLowerCase()}#${el.id || el.name}`);
            }
            // a checkbox's target is its label, which toggles it too
            const box = ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label')
                         ? el.closest('label') : el).getBoundingClientRect();
            if (box.width === 0 && box.height === 0) {
                continue;
            }
            if (box.width < min - 0.5 || box.height < min - 0.5) {
                small.push(`${el.tagName.toLowerCase()}#${el.id || el.name || el.type}`
                           + ` ${Math.round(box.width)}x${Math.round(box.height)}`);
            }
        }
        return { small, unlabelled,
                 wide: document.documentElement.scrollWidth - window.innerWidth };
    }, TARGET);
    const problems = found.slice();
    if (layout.unlabelled.length) {
        problems.push(`fields without a label: ${layout.unlabelled.join(', ')}`);
    }
    if (layout.wide > 0) {
        problems.push(`scrolls sideways by ${layout.wide} px`);
    }
    if (screen === 'phone' && layout.small.length) {
        problems.push(`targets under ${TARGET}x${TARGET}: ${layout.small.join(', ')}`);
    }
    return problems;
}

async function lastCode() {
    const res = await fetch(`${twilio}/_fake/messages`);
    const msgs = (await res.json()).filter((m) => m.to === phone);
    const m = msgs.length ? /code is (\d+)/.exec(msgs[msgs.length - 1].body) : null;
    return m ? m[1] : null;
}

// One value of a query, with :'v' bound to v (psql reads it from stdin,
// where it expands variables).
function dbValue(sql, v) {
    return execFileSync(dav.psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-v', `v=${v}`],
                        { input: sql, encoding: 'utf8' }).trim();
}

function outboxCode(to) {
    const body = dbValue("SELECT body FROM outbox WHERE to_phone = :'v' ORDER BY id DESC LIMIT 1", to);
    const m = /code is (\d+)/.exec(body);
    return m ? m[1] : null;
}

// Log in on a site that keeps its SMS in the outbox.
async function outboxLogin(page, site, to) {
    await page.goto(`${site}/login`);
    await page.fill('#phone', to);
    await Promise.all([page.waitForURL(`${site}/verify`), page.click('button[type=submit]')]);
    await page.fill('#code', outboxCode(to) || '');
    await Promise.all([page.waitForURL(`${site}/connect`), page.click('button[type=submit]')]);
}

async function addWebdav(page, url, password) {
    await page.fill('#webdav-url', url);
    await page.fill('#webdav-user', dav.user);
    await page.fill('#webdav-password', password);
    await Promise.all([page.waitForNavigation(), page.click('#add-webdav')]);
}

// One screen's walk. checks[] collects "state: problem" for the audit.
async function walk(browser, screen, withFlow) {
    const context = await browser.newContext(SCREENS[screen]);
    const page = await context.newPage();
    const problems = [];
    const expected = new Set();
    const audits = [];
    const expect = (status, url) => expected.add(`${status} ${url}`);
    const check = async (state) => {
        for (const p of await audit(page, screen)) {
            audits.push(`${state}: ${p}`);
        }
    };
    const blocked = () => problems.filter((p) => /Content Security Policy|Refused to/.test(p));
    watch(page, problems, expected);
    const name = (s) => `${s} (${screen})`;

    step = `${screen} login`;
    await page.goto(`${base}/login`);
    if (withFlow) {
        const bg = await page.$eval('button', (b) => getComputedStyle(b).backgroundColor);
        ok('style sheet applies under the CSP', bg === 'rgb(26, 86, 219)', `button background ${bg}`);
    }
    await check('/login');
    expect(400, `${base}/login`);
    await page.fill('#phone', '12');
    await Promise.all([page.waitForURL(`${base}/login`), page.click('button[type=submit]')]);
    await check('/login, a bad number');

    await page.fill('#phone', phone);
    await Promise.all([page.waitForURL(`${base}/verify`), page.click('button[type=submit]')]);
    if (withFlow) {
        ok('login sends to /verify', page.url() === `${base}/verify`, page.url());
    }
    await check('/verify');

    step = `${screen} verify`;
    const code = await lastCode();
    if (withFlow) {
        ok('code read back from the fake Twilio', !!code, 'no SMS');
    }
    expect(400, `${base}/verify`);
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await Promise.all([page.waitForURL(`${base}/verify`), page.click('button[type=submit]')]);
    await check('/verify, a wrong code');
    await page.fill('#code', code || '');
    await Promise.all([page.waitForURL(`${base}/connect`), page.click('button[type=submit]')]);
    if (withFlow) {
        ok('verify sends to /connect', page.url() === `${base}/connect`, page.url());
        ok('connect shows the phone', (await page.textContent('#phone')) === phone, 'phone missing');
        ok('no accounts yet', await page.isVisible('#no-accounts'), 'no empty-list note');
    }
    await check('/connect, no account');

    step = `${screen} connect`;
    // the POST leaves for the fake authorize page, which sends the
    // browser back to the callback and from there to /connect
    await page.click('#add-kloudless');
    await page.waitForSelector('li.account', { timeout: 10000 });
    if (withFlow) {
        const names = await page.$$eval('li.account .name', (els) => els.map((e) => e.textContent));
        ok('the connected account is listed', names.includes('Dropbox (alice@example.com)'),
           `listed: ${JSON.stringify(names)}`);
    }
    await check('/connect, an account');

    step = `${screen} remove`;
    await Promise.all([page.waitForNavigation(), page.click('button.remove')]);
    if (withFlow) {
        ok('the account is removed', (await page.$$('li.account')).length === 0 &&
           await page.isVisible('#no-accounts'), 'still listed');
    }

    step = `${screen} message page`;
    expect(400, `${base}/connect/callback`);
    await page.goto(`${base}/connect/callback`);
    await check('a message page (a callback without state)');

    step = `${screen} logout`;
    await page.goto(`${base}/connect`);
    await Promise.all([page.waitForURL(`${base}/login`), page.click('#logout')]);
    await page.goto(`${base}/connect`);
    if (withFlow) {
        ok('after logout /connect sends to /login', page.url() === `${base}/login`, page.url());
    }

    step = `${screen} dead code`;
    await context.addCookies([{ name: 'smscloud_attempt', value: 'no-such-attempt',
                                url: base }]);
    await page.goto(`${base}/verify`);
    await check('/verify, a dead code');
    await context.clearCookies();

    step = `${screen} links`;
    expect(403, `${base}/dl/AAAAAAAAAAAAAAAAAAAAAA`);
    await page.goto(`${base}/dl/AAAAAAAAAAAAAAAAAAAAAA`);
    await check('a link that does not work');
    expect(410, `${local}${expiredLink}`);
    await page.goto(`${local}${expiredLink}`);
    await check('an expired link');

    step = `${screen} demo`;
    await page.goto(`${local}/demo-index.html`);
    await check("the demo's landing page");
    await outboxLogin(page, local, localPhone);
    if (await page.$('#add-local')) {   // the second screen finds it connected
        await Promise.all([page.waitForNavigation(), page.click('#add-local')]);
    }
    if (withFlow) {
        ok('a connected local account says so', await page.isVisible('#connected-local'),
           'still offered');
    }
    await check('/connect, the local account connected');
    await page.goto(`${local}/demo/`);
    await check('the phone simulator');
    await page.fill('#phone', localPhone);
    await page.fill('#body', 'ls');
    await page.click('#send button');
    await page.waitForSelector('#chat li.them', { timeout: 10000 });
    await check('the phone simulator, after a text');

    // each screen its own phone: the second must find the form again
    step = `${screen} webdav`;
    const { phone: davPhone, url: davUrl } = dav.screens[screen];
    const davAccounts = () => dbValue("SELECT count(*) FROM accounts WHERE phone = :'v'", davPhone);
    await outboxLogin(page, dav.site, davPhone);
    await check('/connect, the WebDAV form');
    expect(403, `${dav.site}/connect`);
    await addWebdav(page, davUrl, `${dav.password}-wrong`);
    if (withFlow) {
        const said = await page.textContent('main');
        ok('a wrong WebDAV password is refused on the page',
           /refused that user name and password/.test(said), said.replace(/\s+/g, ' '));
        ok('... and nothing is stored', davAccounts() === '0', `${davAccounts()} accounts`);
    }
    await check('a WebDAV password refused');
    await page.goto(`${dav.site}/connect`);
    await addWebdav(page, davUrl, dav.password);
    if (withFlow) {
        const names = await page.$$eval('li.account .name', (els) => els.map((e) => e.textContent));
        ok('the WebDAV account is connected', page.url() === `${dav.site}/connect`
           && names.length === 1 && names[0].startsWith(`WebDAV (${dav.user}@`)
           && await page.isVisible('#next'), `${page.url()}: ${JSON.stringify(names)}`);
    }
    await check('/connect, a WebDAV account');

    if (withFlow) {
        ok('nothing blocked by the CSP', blocked().length === 0, blocked().join(' | '));
    }
    ok(name('no console error or failed request'), problems.length === 0, problems.join(' | '));
    ok(name('every page and state passes axe (WCAG 2.1 AA), targets and width'),
       audits.length === 0, audits.join(' | '));
    await context.close();
}

async function main() {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
               '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
        for (const screen of ['phone', 'desktop']) {
            try {
                await walk(browser, screen, screen === 'phone');
            } catch (e) {
                ok(`step ${step} completes`, false,
                   String(e && e.message ? e.message : e).split('\n')[0]);
            }
        }
    } finally {
        await browser.close();
    }
}

main().then(() => process.exit(failures.length ? 1 : 0), (e) => {
    console.log(`not ok browser: ${e && e.message ? e.message.split('\n')[0] : e}`);
    process.exit(2);
});
