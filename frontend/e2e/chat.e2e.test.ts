/**
 * The whole product in a real browser: two people, each in their own Chromium profile, use
 * the built Angular app served by the real server (fresh SQLite). They register, see each
 * other come online, chat with typing and read ticks, meet in a public password-protected room,
 * talk in a private group that a third person, signed in at her own browser, can neither find
 * nor join, and one of them reloads the page and finds the session and the history still there.
 * Then they change messages: format, react (through the emoji picker too), reply and jump to
 * the original, edit, delete (an admin in a group too), and an edit made while the other side
 * was offline reaches it when it comes back.
 *
 * Run: npm run test:e2e (builds the app first). Screenshots of every step for both people
 * land in frontend/e2e/artifacts/. CHROMIUM_PATH overrides /usr/bin/chromium; E2E_STATIC_DIR
 * serves another build than dist/frontend/browser.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, axeResults } from './axe.js';
import { BrowserUser, type PageProblem } from './browser-user.js';
import { logOutAndIn, message, registerThroughForm, send } from './chat-steps.js';
import { startServer, type RunningServer } from './e2e-server.js';
import { editAndDelete, formatReactReplyJump, offlineEditReplayed, phoneLongPress } from './message-changes.js';
import { alice, bruno, carmen, fullName } from './people.js';
import { signOutEveryTab } from './sign-out-tabs.js';
import { until } from './until.js';

const ROOM = { name: 'Night Owls', password: 'owls-at-midnight' };
/** A private group of A and B. */
const LUNCH = 'Team Lunch';
/** A ULID that names no chat. */
const NO_SUCH_CHAT = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/**
 * The app asks the server to restore a session whenever it lands without one (the first
 * visit, and the login page right after logging out); with no refresh cookie the answer is a
 * 401, which Chromium logs as a failed resource. While B is offline on purpose (step 7), a
 * reconnection attempt may start before the app hears the browser went offline, and Chromium
 * logs that it failed for want of a network. Nothing else is excused.
 */
function isExpectedNoise(problem: PageProblem): boolean {
  if (problem.kind !== 'console') return false;
  const refreshWithoutSession = /status of 401/.test(problem.text) && (problem.url ?? '').endsWith('/api/auth/refresh');
  const socketWhileOffline = /^WebSocket connection to .* failed: .*net::ERR_INTERNET_DISCONNECTED$/.test(problem.text);
  return refreshWithoutSession || socketWhileOffline;
}

describe('chat in a real browser', { timeout: 120_000 }, () => {
  let server: RunningServer;
  let a: BrowserUser;
  let b: BrowserUser;
  let c: BrowserUser | undefined;

  before(async () => {
    server = await startServer();
    const response = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(carmen),
    });
    assert.equal(response.status, 201, await response.text());
    [a, b] = await Promise.all([
      BrowserUser.launch('A', alice, server.url),
      BrowserUser.launch('B', bruno, server.url),
    ]);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
    await server?.stop();
  });

  it('1. both register and log in; A sees B come online', async () => {
    await registerThroughForm(a, '1a');
    await a.screenshot('1a', 'after-register');
    await logOutAndIn(a, '1b');
    await a.screenshot('1b', 'logged-in');

    // Before B exists A sees only Carmen, offline.
    const carmenRow = a.byTestId(`user-${carmen.username}`);
    await carmenRow.waitFor();
    assert.equal(await carmenRow.getByTestId('presence-dot').getAttribute('data-online'), 'false');

    await registerThroughForm(b, '1c');
    await b.screenshot('1c', 'after-register');
    await logOutAndIn(b, '1d');

    const brunoDot = a.byTestId(`user-${bruno.username}`).getByTestId('presence-dot');
    await a.page.locator(`[data-testid="user-${bruno.username}"] [data-testid="presence-dot"][data-online="true"]`).waitFor();
    assert.equal(await brunoDot.getAttribute('data-online'), 'true');
    const aliceDot = b.page.locator(`[data-testid="user-${alice.username}"] [data-testid="presence-dot"][data-online="true"]`);
    await aliceDot.waitFor();
    await a.screenshot('1e', 'sees-B-online');
    await b.screenshot('1e', 'sees-A-online');
    await assertNoAxeViolations(a, 'chat, no panel open');

    // The skip link comes first in the Tab order and, once focused, takes the focus past the top
    // bar to the main content.
    const firstFocusable = 'document.querySelector("a[href], button, input, select, textarea")?.dataset.testid';
    assert.equal(await a.page.evaluate<string | undefined>(firstFocusable), 'skip-link');
    const skip = a.byTestId('skip-link');
    await skip.focus();
    const shown = await skip.boundingBox();
    assert.ok(shown && shown.y >= 0, `the focused skip link should be on screen (at ${shown?.y})`);
    await a.screenshot('1e', 'skip-link');
    const focusedTestId = () => a.page.evaluate<string | undefined>('document.activeElement?.dataset.testid');
    await a.page.keyboard.press('Enter');
    assert.equal(await a.page.evaluate<string>('document.activeElement?.id'), 'main-content');
    await a.page.keyboard.press('Tab');
    assert.equal(await focusedTestId(), 'message-search-input');
  });

  it('2. A writes to B; B sees it pop up, types, replies; ticks go to read', async (t) => {
    const toB = fullName(bruno);
    const toA = fullName(alice);
    await a.byTestId(`user-${bruno.username}`).click();
    const aBox = a.chatBox(toB);
    await aBox.waitFor();
    await aBox.getByText('No messages yet').waitFor();

    // Record every state the tick of A's newest own message shows, as it changes.
    // (A string, not a function: the test's own transpiler would decorate a function's text.)
    await a.page.evaluate(`(() => {
      const seen = [];
      window.__ticks = seen;
      const record = () => {
        const ticks = document.querySelectorAll('[data-testid="message"].own [data-testid="tick"]');
        const state = ticks[ticks.length - 1]?.getAttribute('data-state');
        if (state && seen[seen.length - 1] !== state) seen.push(state);
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
      });
    })()`);

    const first = 'Hi Bruno! Are you around for the review?';
    await send(a, toB, first);
    const aFirst = message(a, toB, first);
    await aFirst.waitFor();

    // B's box pops up on its own, with the message in it.
    const bBox = b.chatBox(toA);
    await message(b, toA, first).waitFor();
    assert.equal(await bBox.count(), 1);
    await b.screenshot('2a', 'box-popped-up');

    // A's tick ends on read, and only ever moves forward.
    await aFirst.locator('[data-testid="tick"][data-state="read"]').waitFor();
    const states = await a.page.evaluate<string[]>('window.__ticks');
    const order = ['pending', 'sent', 'delivered', 'read'];
    assert.equal(states.at(-1), 'read', `tick states seen: ${states.join(' → ')}`);
    const ranks = states.map((s) => order.indexOf(s));
    assert.ok(ranks.every((r, i) => r >= 0 && (i === 0 || r > ranks[i - 1]!)), `tick states went backwards: ${states.join(' → ')}`);
    t.diagnostic(`A's tick showed: ${states.join(' → ')}`);
    await a.chatBox(toB).getByTestId('seen').waitFor();
    await a.screenshot('2a', 'message-read');

    // B types: A sees the typing line while the keys go in.
    const reply = 'Yes, here now. Give me five minutes.';
    const bInput = bBox.getByTestId('message-input');
    await bInput.click();
    const typing = bInput.pressSequentially(reply, { delay: 40 });
    const typingLine = a.chatBox(toB).getByTestId('typing-line');
    await typingLine.waitFor();
    assert.equal(await typingLine.innerText(), `${bruno.firstName} is typing…`);
    await a.screenshot('2b', 'sees-typing');
    await typing;
    await b.screenshot('2b', 'typing-reply');
    await bInput.press('Enter');

    await message(a, toB, reply).waitFor();
    await typingLine.waitFor({ state: 'hidden' });
    await message(b, toA, reply).locator('[data-testid="tick"][data-state="read"]').waitFor();
    assert.equal(await bInput.inputValue(), '');
    await a.screenshot('2c', 'got-reply');
    await assertNoAxeViolations(a, 'chat, one panel open');
    await b.screenshot('2c', 'reply-read');
  });

  it('3. A opens a password room; B joins it with the password and both talk there', async () => {
    // A starts a room on her own, nobody picked, and locks it with a password.
    assert.equal(await a.byTestId('start-group').count(), 0);
    await a.byTestId('new-room').click();
    const dialog = a.byTestId('create-group-dialog');
    // "New room" is a public room, and the dialog says what that means.
    await dialog.waitFor();
    assert.equal(await a.byTestId('group-visibility-public').isChecked(), true);
    assert.match(await a.byTestId('group-visibility-hint').innerText(), /Anyone signed in to Parley can find this room/);
    await dialog.waitFor();
    await a.byTestId('group-name').fill(ROOM.name);
    await a.byTestId('group-password').fill(ROOM.password);
    await a.screenshot('3a', 'create-room');
    await assertNoAxeViolations(a, 'create room dialog');
    await a.byTestId('create-group-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    const aRoom = a.chatBox(ROOM.name);
    await aRoom.waitFor();
    assert.match(await aRoom.innerText(), /password protected/);
    await a.screenshot('3a', 'room-created');

    // B finds it, is refused with a wrong password, then gets in with the right one.
    await b.byTestId('join-room').click();
    const joinDialog = b.byTestId('join-room-dialog');
    await joinDialog.waitFor();
    await b.byTestId('room-search').fill('night');
    const hit = b.page.locator(`[data-testid="room-result"][data-room-name="${ROOM.name}"]`);
    await hit.click();
    await b.byTestId('room-password').fill('not-the-password');
    await b.byTestId('join-submit').click();
    const joinError = b.byTestId('join-error');
    await joinError.waitFor();
    assert.equal(await joinError.innerText(), 'Wrong room password.');
    // The focus goes to the field to fix, not back to <body>.
    assert.equal(await b.page.evaluate<string | undefined>('document.activeElement?.dataset.testid'), 'room-password');
    assert.equal(await b.chatBox(ROOM.name).count(), 0);
    await b.screenshot('3b', 'wrong-password');
    await assertNoAxeViolations(b, 'join room dialog, wrong password');

    await b.byTestId('room-password').fill(ROOM.password);
    await joinError.waitFor({ state: 'hidden' });
    await b.byTestId('join-submit').click();
    await joinDialog.waitFor({ state: 'hidden' });
    const bRoom = b.chatBox(ROOM.name);
    await bRoom.waitFor();
    await until('A to see B among the room members', async () => /2 members/.test(await aRoom.innerText()));

    const hello = 'Welcome to the owls, Bruno!';
    await send(a, ROOM.name, hello);
    await message(b, ROOM.name, hello).waitFor();
    const thanks = 'Thanks, glad to be in.';
    await send(b, ROOM.name, thanks);
    await message(a, ROOM.name, thanks).waitFor();
    await message(a, ROOM.name, thanks).getByTestId('sender-name').filter({ hasText: fullName(bruno) }).waitFor();
    await a.screenshot('3c', 'room-talk');
    await b.screenshot('3c', 'room-talk');
    await assertNoAxeViolations(a, 'chat, two panels open');
  });

  it('3b. A makes a private group with B; C signs in and can neither find nor join it', async () => {
    // A picks Bruno and starts a group: private unless she chooses otherwise, and the dialog says so.
    await a.byTestId(`select-${bruno.username}`).click();
    await a.byTestId('start-group').click();
    const dialog = a.byTestId('create-group-dialog');
    await dialog.waitFor();
    assert.equal(await a.byTestId('group-visibility-private').isChecked(), true);
    assert.match(await a.byTestId('group-visibility-hint').innerText(), /Only the people you add can see this group/);
    assert.equal(await a.byTestId('group-password').count(), 0);
    await a.byTestId('group-name').fill(LUNCH);
    await a.screenshot('3d', 'create-private-group');
    await assertNoAxeViolations(a, 'create group dialog');
    await a.byTestId('create-group-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await a.chatBox(LUNCH).waitFor();
    const plan = 'Lunch at noon, the usual place?';
    await send(a, LUNCH, plan);
    await message(b, LUNCH, plan).waitFor();
    const lunchItem = a.page.locator(`[data-testid="chat-item"][data-chat-name="${LUNCH}"]`);
    const lunchId = await lunchItem.getAttribute('data-chat-id');
    assert.ok(lunchId, 'the group is in A’s chat list');
    await b.screenshot('3d', 'in-private-group');
    await assertNoAxeViolations(a, 'chat, three panels open');

    // The group's settings, as its admin sees them.
    const lunchBox = a.chatBox(LUNCH);
    await lunchBox.getByTestId('chat-menu-button').click();
    await lunchBox.getByTestId('group-settings').click();
    const settings = a.byTestId('group-settings-dialog');
    await settings.waitFor();
    await a.screenshot('3d', 'group-settings');
    await assertNoAxeViolations(a, 'group settings dialog');
    await a.page.keyboard.press('Escape');
    await settings.waitFor({ state: 'detached' });

    // Carmen signs in at her own browser.
    c = await BrowserUser.launch('C', carmen, server.url);
    await c.goto('/login');
    await c.byTestId('login-username').fill(carmen.username);
    await c.byTestId('login-password').fill(carmen.password);
    await c.byTestId('login-submit').click();
    await c.page.waitForURL((url) => url.pathname === '/');
    await c.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
    assert.equal(await c.page.locator(`[data-testid="chat-item"][data-chat-name="${LUNCH}"]`).count(), 0);

    // Join room lists the public room, but never the private group, whatever she types.
    await c.byTestId('join-room').click();
    await c.byTestId('join-room-dialog').waitFor();
    await c.page.locator(`[data-testid="room-result"][data-room-name="${ROOM.name}"]`).waitFor();
    assert.equal(await c.page.locator(`[data-testid="room-result"][data-room-name="${LUNCH}"]`).count(), 0);
    for (const query of ['team', LUNCH]) {
      await c.byTestId('room-search').fill(query);
      await until(`C's search for ${JSON.stringify(query)} to answer`, async () =>
        (await c!.byTestId('room-search-empty').count()) === 1,
      );
      assert.equal(await c.byTestId('room-result').count(), 0);
    }
    assert.match(await c.byTestId('room-search-hint').innerText(), /Only public rooms are listed/);
    await c.screenshot('3e', 'search-finds-nothing');

    // Joining it by its id is answered exactly as joining a chat that does not exist.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: carmen.username, password: carmen.password }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const { accessToken } = (await login.json()) as { accessToken: string };
    const join = async (chatId: string) => {
      const response = await fetch(`${server.url}/api/groups/${chatId}/join`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({}),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const missing = await join(NO_SUCH_CHAT);
    assert.deepEqual(missing, { status: 404, body: { error: { code: 'not_found', message: 'Chat not found' } } });
    assert.deepEqual(await join(lunchId), missing);

    // Nothing of the group reached her: no box, no list entry, and the group still has two members.
    await c.page.reload({ waitUntil: 'domcontentloaded' });
    await c.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
    assert.equal(await c.page.locator(`[data-testid="chat-item"][data-chat-name="${LUNCH}"]`).count(), 0);
    assert.equal(await c.chatBox(LUNCH).count(), 0);
    await c.screenshot('3e', 'after-join-attempt');
    assert.match(await a.chatBox(LUNCH).innerText(), /2 members/);
  });

  it('4. B reloads: still signed in, and the history is there', async () => {
    await b.page.reload({ waitUntil: 'domcontentloaded' });
    await b.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
    assert.equal(new URL(b.page.url()).pathname, '/');
    assert.equal(await b.byTestId('current-user').innerText(), fullName(bruno));

    const withAlice = b.page.locator(`[data-testid="chat-item"][data-chat-name="${fullName(alice)}"]`);
    await withAlice.click();
    await message(b, fullName(alice), 'Hi Bruno! Are you around for the review?').waitFor();
    await message(b, fullName(alice), 'Yes, here now. Give me five minutes.').waitFor();
    await b.page.locator(`[data-testid="chat-item"][data-chat-name="${ROOM.name}"]`).click();
    await message(b, ROOM.name, 'Welcome to the owls, Bruno!').waitFor();
    await message(b, ROOM.name, 'Thanks, glad to be in.').waitFor();
    await b.screenshot('4a', 'after-reload');
    await a.screenshot('4a', 'meanwhile');

    // The phone layout: one box fills the screen, the lists sit behind a back button.
    await b.page.setViewportSize({ width: 360, height: 740 });
    const back = b.byTestId('chat-back');
    await back.first().waitFor();
    await back.first().click();
    await withAlice.waitFor();
    await b.screenshot('4b', 'phone-lists');
    await assertNoAxeViolations(b, 'phone, lists');
    await withAlice.click();
    const phoneBox = b.chatBox(fullName(alice));
    await message(b, fullName(alice), 'Yes, here now. Give me five minutes.').waitFor();
    assert.equal(await b.byTestId('chat-box').count(), 1);
    const box = await phoneBox.boundingBox();
    assert.ok(box && box.width <= 360 && box.width >= 340, `the box should fill the phone's width (got ${box?.width})`);
    await b.screenshot('4b', 'phone-chat-box');
    await assertNoAxeViolations(b, 'phone, chat box');
  });

  it('5. A formats a message; B reacts with the emoji picker, A joins in; B replies, A jumps to the original', () =>
    formatReactReplyJump(a, b));

  it('6. A edits with Up, B deletes his own, A deletes B’s in her group as admin', () => editAndDelete(a, b, LUNCH));

  it('7. an edit made while B is offline reaches B when he is back', () => offlineEditReplayed(a, b));

  it('8. on a phone, a long press shows a message’s actions, and on a reaction who reacted', () => phoneLongPress(b));

  it('9. A signs out in one tab; her other tab is signed out too', () => signOutEveryTab(a));

  it('axe finds no accessibility violation on any screen visited', (t) => {
    for (const [screen, { passes, violations }] of axeResults) t.diagnostic(`${screen}: ${violations} violations, ${passes} rules passed`);
    assert.ok(axeResults.size >= 14, `axe checked only ${axeResults.size} screens`);
  });

  it('no console errors, uncaught exceptions or CSP violations on any page', () => {
    for (const user of [a, b, c]) {
      assert.ok(user, 'every person had a browser');
      const unexpected = user.problems.filter((p) => !isExpectedNoise(p));
      assert.deepEqual(unexpected, [], `${user.label}: ${JSON.stringify(unexpected, null, 2)}`);
    }
  });
});
