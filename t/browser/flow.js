// A real browser (Debian's headless Chromium through playwright-core) logs
// in with a code read back from the fake Twilio, connects the fake
// Kloudless account, sees it listed and removes it. No JavaScript runs in
// the pages themselves: this is the plain-HTML flow a phone would take.
//
// Usage: node flow.js BASE_URL FAKE_TWILIO_URL PHONE
// Prints one line per step, "ok <step>" or "not ok <step>: <why>", and
// exits non-zero when a step fails.
'use strict';

const { chromium } = require('playwright-core');

const [base, twilio, phone] = process.argv.slice(2);
const failures = [];
let step = 'start';

function ok(name, cond, why) {
    if (cond) {
        console.log(`ok ${name}`);
    } else {
        console.log(`not ok ${name}: ${why}`);
        failures.push(name);
    }
}

async function lastCode() {
    const res = await fetch(`${twilio}/_fake/messages`);
    const msgs = (await res.json()).filter((m) => m.to === phone);
    const m = msgs.length ? /code is (\d+)/.exec(msgs[msgs.length - 1].body) : null;
    return m ? m[1] : null;
}

async function main() {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
               '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
    const blocked = [];
    page.on('console', (msg) => {
        if (/Content Security Policy|Refused to/.test(msg.text())) {
            blocked.push(msg.text());
        }
    });
    if (process.env.FLOW_DEBUG) {
        page.on('response', (r) => console.log(`# ${r.request().method()} ${r.url()} -> ${r.status()} csp=${r.headers()['content-security-policy']}`));
    }
    try {
        step = 'login';
        await page.goto(`${base}/login`);
        const bg = await page.$eval('button', (b) => getComputedStyle(b).backgroundColor);
        ok('style sheet applies under the CSP', bg === 'rgb(26, 86, 219)', `button background ${bg}`);
        await page.fill('#phone', phone);
        await Promise.all([page.waitForURL(`${base}/verify`), page.click('button[type=submit]')]);
        ok('login sends to /verify', page.url() === `${base}/verify`, page.url());

        step = 'verify';
        const code = await lastCode();
        ok('code read back from the fake Twilio', !!code, 'no SMS');
        await page.fill('#code', code || '');
        await Promise.all([page.waitForURL(`${base}/connect`), page.click('button[type=submit]')]);
        ok('verify sends to /connect', page.url() === `${base}/connect`, page.url());
        ok('connect shows the phone', (await page.textContent('#phone')) === phone, 'phone missing');
        ok('no accounts yet', await page.isVisible('#no-accounts'), 'no empty-list note');

        step = 'connect';
        // the POST leaves for the fake authorize page, which sends the
        // browser back to the callback and from there to /connect
        await page.click('#add-kloudless');
        await page.waitForSelector('li.account', { timeout: 10000 });
        const names = await page.$$eval('li.account .name', (els) => els.map((e) => e.textContent));
        ok('the connected account is listed', names.includes('Dropbox (alice@example.com)'),
           `listed: ${JSON.stringify(names)}`);

        step = 'remove';
        await Promise.all([page.waitForNavigation(), page.click('button.remove')]);
        ok('the account is removed', (await page.$$('li.account')).length === 0 &&
           await page.isVisible('#no-accounts'), 'still listed');

        step = 'logout';
        await Promise.all([page.waitForURL(`${base}/login`), page.click('#logout')]);
        await page.goto(`${base}/connect`);
        ok('after logout /connect sends to /login', page.url() === `${base}/login`, page.url());
        ok('nothing blocked by the CSP', blocked.length === 0, blocked.join(' | '));
    } catch (e) {
        ok(`step ${step} completes`, false, String(e && e.message ? e.message : e).split('\n')[0]
           + ` (at ${page.url()}; ${blocked.join(' | ')})`);
    } finally {
        await browser.close();
    }
}

main().then(() => process.exit(failures.length ? 1 : 0), (e) => {
    console.log(`not ok browser: ${e && e.message ? e.message.split('\n')[0] : e}`);
    process.exit(2);
});
