// The console in headless Chromium (Debian's, driven by playwright-core): a user's way through it.
// Usage: node console-scenario.mjs <base URL> <sender token> <admin token> <screenshot dir>
// Exits non-zero, saying which step, when anything is not as the user should see it. The server's clock
// is the test's: "advance-clock <ISO-8601 duration>" on stdout asks it to move that far, "advanced" on
// stdin says it has.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [base, senderToken, adminToken, shots] = process.argv.slice(2);
const stdin = createInterface({ input: process.stdin });
const answers = stdin[Symbol.asyncIterator]();
mkdirSync(shots, { recursive: true });
const origin = new URL(base).origin;
const problems = [];
// Statuses answered on purpose: Chromium logs each as an error (perhaps after the step), which each excuses once.
const answeredOnPurpose = [];

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
  if (message.type() !== 'error') {
    return;
  }
  const excused = answeredOnPurpose.findIndex(status => message.text().includes('status of ' + status));
  if (excused >= 0) {
    answeredOnPurpose.splice(excused, 1);
  } else {
    problems.push('console error on ' + page.url() + ': ' + message.text());
  }
});
page.on('dialog', dialog => {
  problems.push('a script ran: ' + dialog.type() + ' ' + dialog.message());
  dialog.dismiss();
});

function answeredWith(status, step) {
  answeredOnPurpose.push(status);
  return step();
}

function expect(condition, what) {
  if (!condition) {
    throw new Error(what);
  }
}

async function shot(name) {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/** Two minutes from now, to the second: its date and time on the wall clock of {@code zone}, and the instant in UTC. */
function twoMinutesAheadIn(zone) {
  const at = new Date(Math.floor((Date.now() + 120_000) / 1000) * 1000);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = type => parts.find(p => p.type === type).value;
  return { date: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}:${part('second')}`,
    utc: at.toISOString().slice(0, 19).replace('T', ' ') + ' UTC' };
}

async function advanceServerClock(duration) {
  console.log('advance-clock ' + duration);
  const answer = await answers.next();
  expect(answer.value === 'advanced', 'the server\'s clock moved ' + duration);
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
  await page.waitForFunction(utc => document.querySelector('#preview-subject')?.textContent === 'Hello Ann'
    && (document.querySelector('#instant-utc')?.textContent ?? '').includes(utc), when.utc);
  expect((await page.textContent('#instant-viewer')).includes('where you are'), 'the instant in the viewer\'s zone');
  await shot('compose');
  await Promise.all([page.waitForURL(/\/messages\//), page.click('#schedule')]);
  const messageUrl = page.url();
  expect(await page.textContent('#message-subject') === 'Hello {{name}}', 'the message page shows the subject as written');
  expect(await page.textContent('#message-status') === 'SCHEDULED', 'the message is scheduled');
  await shot('message');

  // Two minutes pass (on the server's clock): the page's live counts follow the send to SENT.
  await advanceServerClock('PT2M');
  await page.waitForFunction(() => document.querySelector('#message-status')?.textContent === 'SENT', null, { timeout: 20_000 });
  await page.waitForLoadState();
  expect(await page.textContent('.counts tr:nth-child(2) td:nth-child(3)') === '3', 'three sent');
  expect(await page.locator('.actions button').count() === 0, 'once sent, the page offers nothing to do to it');
  await shot('message-sent');

  // A recipient's outcome, and the content as the renderer made it for them.
  await page.click('tr:has-text("ben@example.com") >> text=Show content');
  expect((await page.textContent('tr:has-text("ben@example.com")')).includes('SENT'), 'Ben\'s outcome is SENT');
  expect((await page.textContent('#rendered')).includes('Dear Ben, the news.'), 'Ben\'s content');
  await shot('recipient');

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
  const forged = await answeredWith(403, () => page.evaluate(async () => (await fetch(location.pathname + '/cancel',
    { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' })).status));
  expect(forged === 403, 'a post without the form secret is refused, got ' + forged);
  expect(await page.textContent('#message-status') === 'SCHEDULED', 'the refused post changed nothing');
  await page.click('button:has-text("Cancel")');
  await page.waitForFunction(() => document.querySelector('#message-status')?.textContent === 'CANCELLED');
  await page.goto(base + '/');
  await shot('messages');

  // The sender's list, with its member; then its recurring schedule with its next occurrences; the admin pages are
  // not the sender's.
  await page.click('nav >> text=Lists');
  await shot('lists');
  await page.click('table.lists >> text=Digest readers');
  expect((await page.textContent('table.members')).includes('ann@example.com'), 'the list\'s member');
  await shot('list');
  await page.click('nav >> text=Schedules');
  expect((await page.textContent('table.schedules')).includes('Weekly digest'), 'the sender\'s schedule');
  await shot('schedules');
  await page.click('#new-schedule');
  await page.fill('#expression', 'cron(0 8 ? * MON-FRI *)');
  await page.waitForFunction(() => document.querySelectorAll('#preview-occurrences li').length === 5
    && document.querySelector('#preview-occurrences li').textContent.includes('08:00:00'));
  await shot('schedule-form');
  await page.click('nav >> text=Schedules');
  await page.click('text=Weekly digest');
  expect(await page.locator('#next-occurrences li').count() === 5, 'its next five occurrences');
  await shot('schedule');
  expect(await page.locator('nav >> text=Tokens').count() === 0, 'no admin pages offered to a sender');
  const refused = await answeredWith(403, () => page.goto(base + '/admin/tokens'));
  expect(refused.status() === 403 && (await page.textContent('#problem')).startsWith('403'), 'a sender is refused the tokens page');
  await shot('refused');

  await page.goto(messageUrl);
  await page.click('button:has-text("Sign out")');
  await page.waitForURL(base + '/sign-in');
  await page.goto(base + '/');
  expect(page.url().endsWith('/sign-in'), 'signed out');

  // An admin: message systems, a system's settings and job account, its suppression list, tokens.
  await signIn(adminToken);
  await page.click('nav >> text=Message systems');
  expect((await page.textContent('table.systems')).includes('outbox'), 'the outbox system is listed');
  await shot('systems');
  await page.click('table.systems >> text=outbox');
  await page.fill('#jobAccountName', 'mailer');
  await page.fill('#jobAccountPassword', 'a-long-Passw0rd');
  await Promise.all([page.waitForURL(/\/admin\/systems\/outbox$/), page.click('text=Set the job account')]);
  expect((await page.textContent('#job-account')).includes('Set, for mailer'), 'the job account is set');
  expect(!(await page.content()).includes('a-long-Passw0rd'), 'the password is never shown');
  await shot('system');
  await page.click('text=Suppression list');
  await page.fill('#addresses', 'gone@example.com\nnot an address');
  await answeredWith(400, () => Promise.all([page.waitForResponse(/suppressions$/), page.click('#suppress-form button')]));
  expect((await page.textContent('#addresses-error')).startsWith('line 2'), 'a bad line is named');
  await page.fill('#addresses', 'gone@example.com');
  await Promise.all([page.waitForURL(/suppressions$/), page.click('#suppress-form button')]);
  expect((await page.textContent('table.suppressions')).includes('gone@example.com'), 'the address is on the list');
  await shot('suppressions');
  await page.click('nav >> text=Tokens');
  await page.fill('#name', 'reporting');
  await page.click('#token-form button');
  expect((await page.textContent('#issued-token')).startsWith('hrld_'), 'the new token is shown once');
  await shot('tokens');
  await page.click('button:has-text("Sign out")');
  await page.waitForURL(base + '/sign-in');
} catch (e) {
  problems.push(e.message + ' (at ' + page.url() + ')');
  await shot('failure').catch(() => {});
} finally {
  stdin.close();
  await browser.close();
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('console scenario passed');
