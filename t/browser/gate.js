// The gate in a real browser (the same headless Chromium as flow.js): a
// page behind AuthType SmsCloud sends the browser to /login, the code
// (read back from the fake Twilio) opens it, and /verify brings the
// browser back to the very page it first asked for.
//
// Usage: node gate.js BASE_URL FAKE_TWILIO_URL PHONE PATH
// Prints "ok <step>" / "not ok <step>: <why>" lines; non-zero exit on failure.
'use strict';

const { chromium } = require('playwright-core');

const [base, twilio, phone, path] = process.argv.slice(2);
const failures = [];
let step = 'start';

function ok(name, cond, why) {
    console.log(cond ? `ok ${name}` : `not ok ${name}: ${why}`);
    if (!cond) {
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
    const page = await browser.newPage();
    try {
        step = 'protected page';
        await page.goto(`${base}${path}`);
        const at = new URL(page.url());
        ok('the protected page sends to the login page', at.pathname === '/login'
           && at.searchParams.get('return') === path, page.url());

        step = 'login';
        await page.fill('#phone', phone);
        await Promise.all([page.waitForURL(`${base}/verify`), page.click('button[type=submit]')]);
        ok('login sends to /verify', page.url() === `${base}/verify`, page.url());

        step = 'verify';
        const code = await lastCode();
        await page.fill('#code', code || '');
        await Promise.all([page.waitForURL(`${base}${path}`), page.click('button[type=submit]')]);
        ok('verify returns to the page first asked for', page.url() === `${base}${path}`,
           page.url());
        ok('the protected page is shown', /the protected page/.test(await page.content()),
           'other content');
    } catch (e) {
        ok(`step ${step} completes`, false, String(e && e.message ? e.message : e).split('\n')[0]
           + ` (at ${page.url()})`);
    } finally {
        await browser.close();
    }
}

main().then(() => process.exit(failures.length ? 1 : 0), (e) => {
    console.log(`not ok browser: ${e && e.message ? e.message.split('\n')[0] : e}`);
    process.exit(2);
});
