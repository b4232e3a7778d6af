/**
 * Never miss what matters, in real browsers: three people (each in their own Chromium profile)
 * against the built app and the real server. A chat with many unread messages opens at the
 * first of them under a "New messages" line; a message counts as read (its sender sees
 * "Seen") only once it was on screen in a focused, visible window, not while it is out of
 * view or the window is hidden or without focus; scrolled up, a "↓ N new" button counts what
 * arrived below and jumps there; a box stays at its newest message while two more open beside
 * it; a closed chat does not pop up again; in a group "Seen by N" lists who read a message.
 *
 * Run: node --import tsx --test frontend/e2e/reading.e2e.test.ts (after npm run build). Screenshots
 * land in frontend/e2e/artifacts/R*.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { assertNoAxeViolations } from './axe.js';
import { BrowserUser, type Person } from './browser-user.js';
import { message, openChat, send } from './chat-steps.js';
import { startServer, type RunningServer } from './e2e-server.js';
import { fullName } from './people.js';
import { until } from './until.js';

const ana: Person = {
  username: 'ana.reader',
  firstName: 'Ana',
  lastName: 'Reyes',
  email: 'ana@example.test',
  gender: 'female',
  password: 'Quiet-Harbour-4412',
};
const ben: Person = {
  username: 'ben.sender',
  firstName: 'Ben',
  lastName: 'Okafor',
  email: 'ben@example.test',
  gender: 'male',
  password: 'Maple-Lantern-9081',
};
const cleo: Person = {
  username: 'cleo.third',
  firstName: 'Cleo',
  lastName: 'Lindqvist',
  email: 'cleo@example.test',
  gender: 'nonbinary',
  password: 'Silver-Thistle-2754',
};
const TRIO = 'Trio';
/** Long enough for "nothing happened" to mean it: the app reads within a frame or two of seeing. */
const QUIET_MS = 2_000;
/** A line long enough to wrap differently as the boxes get narrower. */
const LONG = 'This message is long enough to wrap over several lines in a chat box, and more so once two other boxes open beside it';

/** Someone signed in over the API, to set the scene (messages, reads) without a browser. */
interface ApiUser {
  id: string;
  token: string;
}

describe('reading in real browsers', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let a: BrowserUser;
  let b: BrowserUser;
  let c: BrowserUser;
  const api: Record<string, ApiUser> = {};
  let directAB = '';
  let directAC = '';

  async function call(who: ApiUser, method: string, path: string, body?: unknown): Promise<unknown> {
    for (;;) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (response.status === 429) {
        await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get('retry-after') ?? 1)));
        continue;
      }
      const text = await response.text();
      assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
      return response.status === 204 ? null : (JSON.parse(text) as unknown);
    }
  }

  async function sendOverApi(who: ApiUser, chatId: string, body: string): Promise<{ id: string; seq: number }> {
    const { message: sent } = (await call(who, 'POST', `/api/chats/${chatId}/messages`, { clientId: randomUUID(), body })) as {
      message: { id: string; seq: number };
    };
    return sent;
  }

  async function readSeqOf(reader: ApiUser, chatId: string): Promise<number> {
    const { chat } = (await call(reader, 'GET', `/api/chats/${chatId}`)) as { chat: { members: Array<{ userId: string; readSeq: number }> } };
    return chat.members.find((m) => m.userId === reader.id)!.readSeq;
  }

  async function logIn(user: BrowserUser): Promise<void> {
    await user.goto('/login');
    await user.byTestId('login-username').fill(user.person.username);
    await user.byTestId('login-password').fill(user.person.password);
    await user.byTestId('login-submit').click();
    await user.page.waitForURL((url) => url.pathname === '/');
    await user.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
  }

  /** The tick state of a message as its sender sees it. */
  function tickOf(sender: BrowserUser, box: string, text: string): Promise<string | null> {
    return message(sender, box, text).getByTestId('tick').getAttribute('data-state');
  }

  /** How far the list's bottom edge is from its newest content (0: at the newest message). */
  function distanceFromBottom(list: Locator): Promise<number> {
    return list.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
  }

  /** The window loses or gets back the focus, as when the person switches to another window. */
  function setWindowFocus(user: BrowserUser, focused: boolean): Promise<void> {
    return user.page.evaluate((on) => void window.dispatchEvent(new Event(on ? 'focus' : 'blur')), focused);
  }

  /** The tab is hidden or shown again, as when the person switches to another tab. */
  async function setTabHidden(user: BrowserUser, hidden: boolean): Promise<void> {
    // A script of its own (not a compiled function): the page answers document.visibilityState as a hidden tab would.
    await user.page.evaluate(`
      Object.defineProperty(document, 'visibilityState', { configurable: true, get() { return ${hidden ? "'hidden'" : "'visible'"}; } });
      Object.defineProperty(document, 'hidden', { configurable: true, get() { return ${hidden}; } });
      document.dispatchEvent(new Event('visibilitychange'));
    `);
  }

  before(async () => {
    server = await startServer();
    for (const person of [ana, ben, cleo]) {
      const registered = await fetch(`${server.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(person),
      });
      assert.equal(registered.status, 201, await registered.text());
      const loggedIn = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: person.username, password: person.password }),
      });
      const tokens = (await loggedIn.json()) as { accessToken: string; user: { id: string } };
      api[person.username] = { id: tokens.user.id, token: tokens.accessToken };
    }
    const [A, B, C] = [api[ana.username]!, api[ben.username]!, api[cleo.username]!];

    // Ben writes 30 messages to Ana; she has read the first 5.
    directAB = ((await call(B, 'POST', '/api/chats/direct', { userId: A.id })) as { chat: { id: string } }).chat.id;
    let fifth = { id: '', seq: 0 };
    for (let n = 1; n <= 30; n += 1) {
      const sent = await sendOverApi(B, directAB, n % 3 === 0 ? `Ben ${n}. ${LONG}` : `Ben ${n}`);
      if (n === 5) fifth = sent;
    }
    await call(A, 'POST', `/api/chats/${directAB}/read`, { upTo: fifth.id });
    // Cleo and Ana have a chat of their own, and Ben has a group with both.
    directAC = ((await call(C, 'POST', '/api/chats/direct', { userId: A.id })) as { chat: { id: string } }).chat.id;
    await sendOverApi(C, directAC, 'Cleo here');
    await call(B, 'POST', '/api/groups', { name: TRIO, memberIds: [A.id, C.id] });

    [a, b, c] = await Promise.all([
      BrowserUser.launch('A', ana, server.url),
      BrowserUser.launch('B', ben, server.url),
      BrowserUser.launch('C', cleo, server.url),
    ]);
    await Promise.all([logIn(a), logIn(b), logIn(c)]);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
    await server?.stop();
  });

  it('R1. a chat with 25 unread opens at the first of them, under a "New messages" line', async () => {
    await openChat(b, fullName(ana));
    await openChat(a, fullName(ben));
    const box = a.chatBox(fullName(ben));
    const divider = box.getByTestId('unread-divider');
    await divider.waitFor();
    assert.equal(await box.getByTestId('unread-divider').count(), 1);
    // The line stands right above Ben's 6th message, the first Ana has not read.
    const next = await divider.evaluate((line) => line.nextElementSibling?.querySelector('[data-testid="message-body"]')?.textContent?.trim());
    assert.match(next ?? '', /^Ben 6\b/);
    // ...and the list opened there: the line near its top, not at the bottom.
    const list = box.getByTestId('message-list');
    const offset = await divider.evaluate((line) => line.getBoundingClientRect().top - line.parentElement!.getBoundingClientRect().top);
    assert.ok(offset >= 0 && offset < 60, `the line is at the top of the list (${offset}px down)`);
    assert.ok((await distanceFromBottom(list)) > 200, 'the newest messages are below, out of view');
    await a.screenshot('R1', 'opened-at-first-unread');
    await assertNoAxeViolations(a, 'chat opened at the first unread message');
  });

  it('R2. out of view, Ben’s newest message is not seen; scrolled to it without focus or while hidden, still not', async () => {
    const box = a.chatBox(fullName(ben));
    const list = box.getByTestId('message-list');
    // What Ana saw (the first unread ones) is read; Ben's newest is not.
    await until('Ana to have read the messages on screen', async () => (await readSeqOf(api[ana.username]!, directAB)) > 5);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    assert.ok((await readSeqOf(api[ana.username]!, directAB)) < 30, 'Ben 30 is out of view: not read');
    assert.notEqual(await tickOf(b, fullName(ana), `Ben 30. ${LONG}`), 'read');
    assert.equal(await b.chatBox(fullName(ana)).getByTestId('seen').count(), 0);

    // The "↓ N new" button counts what is below, unseen.
    const jump = box.getByTestId('jump-to-latest');
    await jump.waitFor();
    const count = Number((await box.getByTestId('new-below').innerText()).replace(/\D/g, ''));
    assert.ok(count > 0 && count < 25, `↓ ${count} new`);

    // Ana's window loses the focus, then the newest message is scrolled into view: not read.
    await setWindowFocus(a, false);
    await list.evaluate((element) => void (element.scrollTop = element.scrollHeight));
    await until('the list to be at its newest message', async () => (await distanceFromBottom(list)) < 2);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    assert.ok((await readSeqOf(api[ana.username]!, directAB)) < 30, 'a window without focus reads nothing');
    assert.equal(await b.chatBox(fullName(ana)).getByTestId('seen').count(), 0);

    // The focus comes back with the message on screen: now it is read, and Ben sees "Seen".
    await setWindowFocus(a, true);
    await until('Ben to see "Seen"', async () => (await tickOf(b, fullName(ana), `Ben 30. ${LONG}`)) === 'read');
    await b.chatBox(fullName(ana)).getByTestId('seen').waitFor();
    assert.equal(await readSeqOf(api[ana.username]!, directAB), 30);
    assert.match(await b.chatBox(fullName(ana)).getByTestId('seen').innerText(), /^Seen \d/);
    // The line stays where it was while the box is open.
    assert.equal(await box.getByTestId('unread-divider').count(), 1);
    await b.screenshot('R2', 'seen-after-scrolled-into-view');

    // A hidden tab reads nothing either, even at the newest message.
    await setTabHidden(a, true);
    await send(b, fullName(ana), 'While you were away');
    await message(a, fullName(ben), 'While you were away').waitFor();
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    assert.equal(await tickOf(b, fullName(ana), 'While you were away'), 'delivered');
    await setTabHidden(a, false);
    await until('Ben to see the message seen', async () => (await tickOf(b, fullName(ana), 'While you were away')) === 'read');
  });

  it('R3. scrolled up, new messages show as "↓ N new"; the button jumps to the newest and reads it', async () => {
    const box = a.chatBox(fullName(ben));
    const list = box.getByTestId('message-list');
    await list.evaluate((element) => void (element.scrollTop = 0));
    await box.getByTestId('jump-to-latest').waitFor();
    for (const text of ['One more', 'And another', 'Last one']) await send(b, fullName(ana), text);
    await until('"↓ 3 new"', async () => (await box.getByTestId('new-below').innerText().catch(() => '')) === '3 new');
    assert.equal(await box.getByTestId('jump-to-latest').getAttribute('aria-label'), '3 new messages: jump to the newest');
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    assert.equal(await tickOf(b, fullName(ana), 'Last one'), 'delivered', 'not read while scrolled up');
    await a.screenshot('R3', 'new-below');
    await assertNoAxeViolations(a, 'scrolled up with new messages below');

    await box.getByTestId('jump-to-latest').click();
    await until('the list at its newest message', async () => (await distanceFromBottom(list)) < 2);
    await until('Ben to see "Seen" on the last one', async () => (await tickOf(b, fullName(ana), 'Last one')) === 'read');
    assert.equal(await box.getByTestId('jump-to-latest').count(), 0);
    assert.equal(await a.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'message', 'focus went to the newest message');
  });

  it('R4. the first box stays at its newest message while two more open beside it', async () => {
    const list = a.chatBox(fullName(ben)).getByTestId('message-list');
    assert.ok((await distanceFromBottom(list)) < 2);
    await openChat(a, fullName(cleo));
    await openChat(a, TRIO);
    assert.equal(await a.byTestId('chat-box').count(), 3);
    await until('the first box to be at its newest message', async () => (await distanceFromBottom(list)) < 2);
    const last = message(a, fullName(ben), 'Last one');
    const [lastBox, listBox] = await Promise.all([last.boundingBox(), list.boundingBox()]);
    assert.ok(lastBox && listBox && lastBox.y + lastBox.height <= listBox.y + listBox.height + 1, 'the newest message is wholly in view');
    // The window gets narrower: still there.
    await a.page.setViewportSize({ width: 1100, height: 760 });
    await until('the first box to stay at its newest message', async () => (await distanceFromBottom(list)) < 2);
    await a.screenshot('R4', 'three-boxes');
    await a.page.setViewportSize({ width: 1280, height: 800 });
  });

  it('R5. a chat Ana closed does not pop up again for a new message: its list entry counts it', async () => {
    await a.chatBox(fullName(cleo)).getByTestId('chat-close').click();
    await openChat(c, fullName(ana));
    await send(c, fullName(ana), 'Are you there?');
    const row = a.page.locator(`[data-testid="chat-item"][data-chat-name="${fullName(cleo)}"]`);
    await until('the unread badge', async () => (await row.getByTestId('unread-badge').innerText().catch(() => '')) === '1');
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    assert.equal(await a.chatBox(fullName(cleo)).count(), 0, 'the box stays closed');
  });

  it('R6. in a group of three, "Seen by N" lists who read a message, with the time', async () => {
    await openChat(b, TRIO);
    // Cleo is in another window: the group's box pops up for her, and that reads nothing.
    await setWindowFocus(c, false);
    await send(a, TRIO, 'Lunch at noon?');
    const sent = message(a, TRIO, 'Lunch at noon?');
    // Ben's box of the group is on screen: he reads it.
    await until('"Seen by 1"', async () => (await sent.getByTestId('seen-by').innerText().catch(() => '')) === 'Seen by 1');
    await message(c, TRIO, 'Lunch at noon?').waitFor();
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    assert.equal(await sent.getByTestId('seen-by').innerText(), 'Seen by 1', 'a box that popped up reads nothing by itself');
    await setWindowFocus(c, true);
    await until('"Seen by 2"', async () => (await sent.getByTestId('seen-by').innerText().catch(() => '')) === 'Seen by 2');
    assert.equal(await tickOf(a, TRIO, 'Lunch at noon?'), 'read');

    await sent.getByTestId('seen-by').click();
    const dialog = a.page.getByTestId('seen-by-dialog');
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('heading').innerText(), 'Seen by 2 of 2');
    const readers = await dialog.getByTestId('seen-by-reader').allInnerTexts();
    assert.equal(readers.length, 2);
    assert.ok(readers[0]!.startsWith(fullName(ben)), readers.join(' | '));
    assert.ok(readers[1]!.startsWith(fullName(cleo)), readers.join(' | '));
    for (const reader of readers) assert.match(reader, /\d{1,2}:\d{2}/, 'each read has its time');
    await a.screenshot('R6', 'seen-by');
    await assertNoAxeViolations(a, 'seen by list');

    await a.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await a.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'seen-by', 'focus is back on "Seen by"');
  });

  it('R7. no page errors', () => {
    for (const user of [a, b, c]) {
      const problems = user.problems.filter((p) => !(p.kind === 'console' && /status of 401/.test(p.text) && (p.url ?? '').endsWith('/api/auth/refresh')));
      assert.deepEqual(problems, [], `${user.label}: ${JSON.stringify(problems)}`);
    }
  });
});
