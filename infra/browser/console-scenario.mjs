// The console in headless Chromium (Debian's, driven by playwright-core): a user's way through it.
// Usage: node console-scenario.mjs <base URL> <sender token> <screenshot dir>
// Exits non-zero, saying which step, when anything is not as the user should see it.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, senderToken, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const origin = new URL(base).origin;
const problems = [];
let refusalExpected = false;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // Without the background-networking flags Chromium calls out to hosts this machine cannot reach.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ timezoneId: 'Europe/Paris', locale: 'en-GB', viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.on('request', request => {
  if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) {
    problems.push('loaded from another host: ' + request.url());
  }
});
page.on('console', message => {
  if (message.type() === 'error' && !(refusalExpected && message.text().includes('403'))) {
    problems.push('console error on ' + page.url() + ': ' + message.text());
  }
});
page.on('dialog', dialog => {
  problems.push('a script ran: ' + dialog.type() + ' ' + dialog.message());
  dialog.dismiss();
});

function expect(condition, what) {
  if (!condition) {
    throw new Error(what);
  }
}

async function shot(name) {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

function twoMinutesAheadIn(zone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(Date.now() + 120_000));
  const part = type => parts.find(p => p.type === type).value;
  return { date: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}:${part('second')}` };
}

async function signIn(token) {
  await page.goto(base + '/');
  expect(page.url().endsWith('/sign-in'), 'signed out, / leads to the sign-in page');
  await page.waitForFunction(() => document.querySelector('#zone').value === 'Europe/Paris');
  await page.fill('#token', token);
  await Promise.all([page.waitForURL(base + '/'), page.click('button[type=submit]')]);
}

try {
  await page.goto(base + '/sign-in');
  await page.waitForFunction(() => document.querySelector('#zone').value === 'Europe/Paris');
  await shot('sign-in');
  await signIn(senderToken);
  expect(await page.textContent('header .who') === 'sender · times in Europe/Paris', 'the header names the role and zone');

  // Compose to three recipients, two minutes ahead in New York; the preview and the instant come as one types.
  await page.click('text=Compose');
  const when = twoMinutesAheadIn('America/New_York');
  await page.fill('#subject', 'Hello {{name}}');
  await page.fill('#text', 'Dear {{name}}, the news.');
  await page.fill('#recipients', 'ann@example.com, Ann\nben@example.com, Ben\ncid@example.com, Cid');
  await page.fill('#date', when.date);
  await page.fill('#time', when.time);
  await page.fill('#zone', 'America/New_York');
  await page.waitForFunction(() => document.querySelector('#preview-subject')?.textContent === 'Hello Ann'
    && /UTC/.test(document.querySelector('#instant-utc')?.textContent ?? ''));
  expect((await page.textContent('#instant-viewer')).includes('where you are'), 'the instant in the viewer\'s zone');
  await shot('compose');
  await Promise.all([page.waitForURL(/\/messages\//), page.click('#schedule')]);
  const messageUrl = page.url();
  expect(await page.textContent('#message-subject') === 'Hello {{name}}', 'the message page shows the subject as written');
  expect(['SCHEDULED', 'SENDING', 'SENT'].includes(await page.textContent('#message-status')), 'the message is scheduled');
  await shot('message');

  // A recipient's content, as the renderer makes it for them.
  await page.click('tr:has-text("ben@example.com") >> text=Show content');
  expect((await page.textContent('#rendered')).includes('Dear Ben, the news.'), 'Ben\'s content');

  // A script in a subject is text; cancelling another message; a post without the form's secret is refused.
  await page.click('text=Compose');
  await page.fill('#subject', '<script>alert("x")</script><img src=x onerror=alert(2)>');
  await page.fill('#text', 'Later');
  await page.fill('#recipients', 'dan@example.com');
  await page.fill('#date', '2030-01-15');
  await page.fill('#time', '09:00');
  await page.fill('#zone', 'Europe/Paris');
  await Promise.all([page.waitForURL(/\/messages\//), page.click('#schedule')]);
  expect((await page.textContent('#message-subject')).startsWith('<script>'), 'the script shows as text');
  refusalExpected = true;
  const forged = await page.evaluate(async () => (await fetch(location.pathname + '/cancel', { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' })).status);
  refusalExpected = false;
  expect(forged === 403, 'a post without the form secret is refused, got ' + forged);
  expect(await page.textContent('#message-status') === 'SCHEDULED', 'the refused post changed nothing');
  await page.click('button:has-text("Cancel")');
  await page.waitForFunction(() => document.querySelector('#message-status')?.textContent === 'CANCELLED');
  await page.goto(base + '/');
  await shot('messages');

  await page.goto(messageUrl);
  await page.click('button:has-text("Sign out")');
  await page.waitForURL(base + '/sign-in');
  await page.goto(base + '/');
  expect(page.url().endsWith('/sign-in'), 'signed out');
} catch (e) {
  problems.push(e.message + ' (at ' + page.url() + ')');
  await shot('failure').catch(() => {});
} finally {
  await browser.close();
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('console scenario passed');
