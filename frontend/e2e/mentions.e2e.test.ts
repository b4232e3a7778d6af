/**
 * Mentions and notifications in a real browser: A mentions B in a group through the composer's
 * autocomplete, with the keyboard only. B (on a phone-sized screen, the group not open) turned
 * notifications on with the header button — the page never asked on load — and gets a browser
 * notification, an "@" badge in the chat list and the count in the tab title; clicking the
 * notification opens the chat, where the mention is highlighted. B mutes the group: the setting
 * shows at once in B's second tab, and A's next mention brings neither badge nor notification.
 *
 * Notifications are observed by wrapping `window.Notification` in an init script that records
 * each one (and still calls the real constructor); "clicking" one dispatches its click event.
 *
 * Run after `npm run build`: node --import tsx --test frontend/e2e/mentions.e2e.test.ts. Screenshots:
 * frontend/e2e/artifacts/M*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assertNoAxeViolations } from './axe.js';
import { BrowserUser, type Person } from './browser-user.js';
import { message, messageWith } from './chat-steps.js';
import { startServer, type RunningServer } from './e2e-server.js';
import { fullName } from './people.js';
import { until } from './until.js';

const ana: Person = { username: 'ana_m', firstName: 'Ana', lastName: 'Moreau', email: 'ana.m@example.test', gender: 'female', password: 'Quartz-River-7719' };
const ben: Person = { username: 'ben_k', firstName: 'Ben', lastName: 'Keller', email: 'ben.k@example.test', gender: 'male', password: 'Maple-Signal-4402' };
const bea: Person = { username: 'bea_r', firstName: 'Bea', lastName: 'Rossi', email: 'bea.r@example.test', gender: 'female', password: 'Cobalt-Lilac-8813' };
const GROUP = 'Design Crew';

interface RecordedNotification {
  title: string;
  body: string;
  tag: string;
}

/**
 * Wraps the page's Notification: every notification shown is recorded in `__notifications` (and
 * its object kept in `__notificationObjects`, to click), and every permission request counted.
 * A string, so the test's transpiler leaves it alone.
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  if (!Real) return;
  window.__notifications = [];
  window.__notificationObjects = [];
  window.__permissionRequests = 0;
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notifications.push({ title, body: (options && options.body) || '', tag: (options && options.tag) || '' });
      window.__notificationObjects.push(this);
    }
    static get permission() { return Real.permission; }
    static requestPermission(callback) {
      window.__permissionRequests += 1;
      return Real.requestPermission(callback);
    }
  }
  window.Notification = Recorded;
})()`;

function notificationsOf(page: Page): Promise<RecordedNotification[]> {
  return page.evaluate<RecordedNotification[]>('window.__notifications ?? []');
}

/** Signs a person up over the API and logs them in: their id and an access token. */
async function register(server: RunningServer, person: Person): Promise<{ accessToken: string; user: { id: string } }> {
  const post = async (path: string, body: unknown, expected: number) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    assert.equal(response.status, expected, text);
    return JSON.parse(text) as unknown;
  };
  await post('/api/auth/register', person, 201);
  return (await post('/api/auth/login', { username: person.username, password: person.password }, 200)) as { accessToken: string; user: { id: string } };
}

async function logIn(user: BrowserUser): Promise<void> {
  await user.goto('/login');
  await user.byTestId('login-username').fill(user.person.username);
  await user.byTestId('login-password').fill(user.person.password);
  await user.byTestId('login-submit').click();
  await user.page.waitForURL((url) => url.pathname === '/');
  await user.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor({ state: 'attached' });
}

function chatItem(page: Page, name: string) {
  return page.locator(`[data-testid="chat-item"][data-chat-name="${name}"]`);
}

describe('mentions and notifications in a real browser', { timeout: 120_000 }, () => {
  let server: RunningServer;
  let a: BrowserUser;
  let b: BrowserUser;
  let bSecondTab: Page | undefined;

  before(async () => {
    server = await startServer();
    const [anaAccount, benAccount, beaAccount] = [await register(server, ana), await register(server, ben), await register(server, bea)];
    const created = await fetch(`${server.url}/api/groups`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${anaAccount.accessToken}` },
      body: JSON.stringify({ name: GROUP, memberIds: [benAccount.user.id, beaAccount.user.id] }),
    });
    const answer = await created.text();
    assert.equal(created.status, 201, answer);
    [a, b] = await Promise.all([BrowserUser.launch('A', ana, server.url), BrowserUser.launch('B', ben, server.url)]);
    for (const user of [a, b]) await user.context.addInitScript(RECORD_NOTIFICATIONS);
    // B is on a phone-sized screen: one thing at a time, so a new message does not pop its chat open.
    await b.page.setViewportSize({ width: 420, height: 860 });
  });

  after(async () => {
    await bSecondTab?.close().catch(() => undefined);
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  it('M1. B turns notifications on from the header; nothing asked for them on page load', async () => {
    await Promise.all([logIn(a), logIn(b)]);
    // B reads the group's first notice, then goes back to the list: the chat is not open.
    await chatItem(b.page, GROUP).click();
    await b.chatBox(GROUP).getByTestId('chat-back').click();
    await until('nothing unread', async () => (await b.page.title()) === 'Parley');
    assert.equal(await b.page.evaluate<number>('window.__permissionRequests'), 0, 'no permission request on load');
    const turnOn = b.byTestId('enable-notifications');
    await turnOn.waitFor();
    assert.equal(await b.byTestId('notification-sound').isChecked(), false, 'the sound is off by default');
    await b.screenshot('M1', 'notifications-off');
    await assertNoAxeViolations(b, 'chat list with the notifications button');

    await b.context.grantPermissions(['notifications'], { origin: server.url });
    await turnOn.click();
    // The button gives way to the state (shown in the header on wider screens).
    await b.byTestId('notifications-on').waitFor({ state: 'attached' });
    assert.equal(await turnOn.count(), 0);
    assert.equal(await b.page.evaluate<number>('window.__permissionRequests'), 1, 'asked once, on the click');
    await b.screenshot('M1', 'notifications-on');
  });

  it('M2. A mentions B through the autocomplete, with the keyboard only', async () => {
    await chatItem(a.page, GROUP).click();
    const box = a.chatBox(GROUP);
    const input = box.getByTestId('message-input');
    await input.waitFor();
    await input.focus();
    await a.page.keyboard.type('Hey @');
    const options = box.getByTestId('mention-option');
    await until('both other members offered', async () => (await options.count()) === 2);
    assert.deepEqual(await options.locator('.mention-name').allInnerTexts(), [fullName(bea), fullName(ben)]);
    assert.equal(await input.getAttribute('aria-controls'), await box.getByTestId('mention-suggestions').getAttribute('id'));
    assert.equal(await input.getAttribute('aria-activedescendant'), await options.nth(0).getAttribute('id'));

    // Arrow keys move the active option (and wrap); typing filters by name or username.
    // The key is dispatched before the list re-renders, so each check waits for the rendered state.
    await a.page.keyboard.press('ArrowDown');
    await until('the second option active', async () => (await options.nth(1).getAttribute('aria-selected')) === 'true');
    assert.equal(await input.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
    await a.page.keyboard.press('ArrowDown');
    await until('the first option active again', async () => (await options.nth(0).getAttribute('aria-selected')) === 'true');
    await a.page.keyboard.type('be');
    await until('both still offered for "be"', async () => (await options.count()) === 2);
    await a.page.keyboard.type('n');
    await until('only Ben for "ben"', async () => (await options.count()) === 1);
    assert.equal(await options.locator('.mention-name').innerText(), fullName(ben));
    await a.screenshot('M2', 'autocomplete');
    await assertNoAxeViolations(a, 'composer with mention suggestions');

    // Escape closes the list without sending; typing another @ opens it again.
    await a.page.keyboard.press('Escape');
    await box.getByTestId('mention-suggestions').waitFor({ state: 'hidden' });
    assert.equal(await input.inputValue(), 'Hey @ben');
    await a.page.keyboard.press('Backspace');
    await until('the list is back for "be"', async () => (await options.count()) === 2);
    await a.page.keyboard.press('ArrowDown');
    await until('Ben active', async () => (await options.nth(1).getAttribute('aria-selected')) === 'true');
    assert.equal(await options.nth(1).locator('.mention-name').innerText(), fullName(ben));
    await a.page.keyboard.press('Enter');
    await until('the mention inserted', async () => (await input.inputValue()) === `Hey @${fullName(ben)} `);
    await a.page.keyboard.type('can you review the mockups?');
    await a.page.keyboard.press('Enter');

    const text = `Hey @${fullName(ben)} can you review the mockups?`;
    const sent = message(a, GROUP, text);
    await sent.locator('[data-testid="tick"]:not([data-state="pending"])').waitFor();
    const chip = sent.locator('.mention');
    assert.equal(await chip.innerText(), `@${fullName(ben)}`);
    assert.equal(await sent.locator('.mention-me').count(), 0, 'only the person mentioned sees it highlighted');
    await a.screenshot('M2', 'mention-sent');
  });

  it('M3. B, the chat not open, gets a notification, an @ badge and the count in the tab title', async () => {
    const shown = await until('B’s notification', async () => {
      const list = await notificationsOf(b.page);
      return list.length > 0 ? list : null;
    });
    assert.equal(shown.length, 1);
    assert.equal(shown[0]!.title, `${fullName(ana)} mentioned you in ${GROUP}`);
    assert.equal(shown[0]!.body, `Hey @${fullName(ben)} can you review the mockups?`);

    const row = chatItem(b.page, GROUP);
    await row.getByTestId('mention-badge').waitFor();
    assert.equal(await row.getByTestId('unread-badge').innerText(), '1');
    assert.match(await b.page.title(), /^\(1 · @1\) Parley$/);
    const favicon = decodeURIComponent((await b.page.locator('link[rel="icon"]').getAttribute('href')) ?? '');
    assert.match(favicon, /<circle/, 'the favicon carries a badge');
    assert.equal(await notificationsOf(a.page).then((list) => list.length), 0, 'A gets nothing for her own message');
    await b.screenshot('M3', 'mention-badge');
    await assertNoAxeViolations(b, 'chat list with an @ badge');
  });

  it('M4. clicking the notification opens the chat, with the mention highlighted', async () => {
    await b.page.evaluate('window.__notificationObjects.at(-1).dispatchEvent(new Event("click"))');
    const box = b.chatBox(GROUP);
    await box.waitFor();
    const received = messageWith(b, GROUP, 'can you review the mockups?');
    const highlight = received.locator('.mention-me');
    await highlight.waitFor();
    assert.equal(await highlight.innerText(), `@${fullName(ben)}`);
    await until('the badge is gone once read', async () => (await b.page.title()) === 'Parley');
    await b.screenshot('M4', 'mention-highlighted');
    await assertNoAxeViolations(b, 'chat with a mention of the reader');
  });

  it('M5. B mutes the group: the second tab shows it at once; the next mention brings no badge and no notification', async () => {
    bSecondTab = await b.context.newPage();
    await bSecondTab.setViewportSize({ width: 1100, height: 800 });
    await bSecondTab.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
    await bSecondTab.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
    await chatItem(bSecondTab, GROUP).waitFor();
    assert.equal(await chatItem(bSecondTab, GROUP).getByTestId('muted-icon').count(), 0);

    const box = b.chatBox(GROUP);
    await box.getByTestId('chat-menu-button').click();
    const muted = box.getByTestId('notify-muted');
    assert.equal(await box.getByTestId('notify-all').getAttribute('aria-checked'), 'true');
    await muted.click();
    await until('muted is checked', async () => (await muted.getAttribute('aria-checked')) === 'true');
    await b.screenshot('M5', 'muted');
    await assertNoAxeViolations(b, 'chat menu with notification levels');
    await box.getByTestId('chat-menu-button').click();
    await box.getByTestId('chat-back').click();

    // The other tab (another device would do the same) heard of it live.
    await chatItem(bSecondTab, GROUP).getByTestId('muted-icon').waitFor();
    await chatItem(bSecondTab, GROUP).click();
    const otherBox = bSecondTab.locator(`[data-testid="chat-box"][data-chat-name="${GROUP}"]`);
    await otherBox.getByTestId('chat-menu-button').click();
    assert.equal(await otherBox.getByTestId('notify-muted').getAttribute('aria-checked'), 'true');
    await otherBox.getByTestId('chat-menu-button').click();
    await otherBox.getByTestId('chat-close').click();
    await bSecondTab.screenshot({ path: new URL('./artifacts/M5-B2-second-tab-muted.png', import.meta.url).pathname });

    // A mentions B again. Once B's list shows the message, it has arrived: no badge, no notification.
    const before = (await notificationsOf(b.page)).length;
    const again = 'second call for the mockups';
    const input = a.chatBox(GROUP).getByTestId('message-input');
    await input.focus();
    await a.page.keyboard.type('@ben');
    await a.chatBox(GROUP).getByTestId('mention-option').first().waitFor();
    await a.page.keyboard.press('Tab');
    await a.page.keyboard.type(again);
    await a.page.keyboard.press('Enter');
    await messageWith(a, GROUP, again).locator('.mention').waitFor();

    const row = chatItem(b.page, GROUP);
    await until('B’s list shows the new message', async () => (await row.innerText()).includes(again));
    await until('B’s second tab shows it too', async () => (await chatItem(bSecondTab!, GROUP).innerText()).includes(again));
    assert.equal(await row.getByTestId('unread-badge').count(), 0, 'no unread badge on a muted chat');
    assert.equal(await row.getByTestId('mention-badge').count(), 0, 'no @ badge on a muted chat');
    assert.equal(await b.page.title(), 'Parley', 'no count in the title');
    assert.equal((await notificationsOf(b.page)).length, before, 'no notification for a muted chat');
    assert.equal((await notificationsOf(bSecondTab)).length, 0);
    await b.screenshot('M5', 'muted-no-badge');
    await assertNoAxeViolations(b, 'chat list with a muted chat');
  });

  it('the pages logged no errors', () => {
    const problems = [...a.problems, ...b.problems].filter(
      (problem) => !(problem.kind === 'console' && /status of 401/.test(problem.text) && (problem.url ?? '').endsWith('/api/auth/refresh')),
    );
    assert.deepEqual(problems, []);
  });
});
