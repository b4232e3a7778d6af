/**
 * Working without a network, in a real browser: A goes offline, writes a draft in one chat and
 * sends a message in another, and reloads the page while still offline. The service worker serves
 * the app, which starts from what the browser kept (IndexedDB): the chats, people and history
 * seen, the draft, the queued message (pending) and the open chat panels. Back online, the message
 * reaches B exactly once (the server dedups by clientId) and A's bubble gets its ✓. A message the
 * server refuses (B blocked A) shows ⚠ with Retry and Delete, and never looks sent in the chat list.
 *
 * Run: npm run build, then node --import tsx --test frontend/e2e/offline.e2e.test.ts. Screenshots
 * (prefix O) land in frontend/e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations } from './axe.js';
import { BrowserUser, type PageProblem } from './browser-user.js';
import { message, openChat, send } from './chat-steps.js';
import { startServer, type RunningServer } from './e2e-server.js';
import { alice, bruno, carmen, fullName } from './people.js';
import { until } from './until.js';

const toB = fullName(bruno);
const toA = fullName(alice);
const toC = fullName(carmen);
const QUEUED = 'Written on the train, sent when the tunnel ends.';
const DRAFT = 'Carmen, about Saturday: half a thought';

/**
 * A refresh without a session answers 401, which Chromium logs. While A is offline on purpose,
 * the socket's reconnection attempts and the session refresh at load fail for want of a network,
 * and Chromium logs that too. Nothing else is excused.
 */
function isExpectedNoise(problem: PageProblem): boolean {
  if (problem.kind !== 'console') return false;
  const refreshWithoutSession = /status of 401/.test(problem.text) && (problem.url ?? '').endsWith('/api/auth/refresh');
  const offline = /net::ERR_INTERNET_DISCONNECTED/.test(problem.text);
  return refreshWithoutSession || offline;
}

async function register(url: string, person: typeof alice): Promise<void> {
  const response = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(person),
  });
  assert.equal(response.status, 201, await response.text());
}

async function logIn(user: BrowserUser): Promise<void> {
  await user.goto('/login');
  await user.byTestId('login-username').fill(user.person.username);
  await user.byTestId('login-password').fill(user.person.password);
  await user.byTestId('login-submit').click();
  await user.page.waitForURL((url) => url.pathname === '/');
  await online(user);
}

function online(user: BrowserUser): Promise<void> {
  return user.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
}

function offline(user: BrowserUser): Promise<void> {
  return user.page.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
}

/**
 * Waits until the service worker controls the page and holds every file of the app in its
 * caches (the list comes from its own manifest, ngsw.json), so the app can load without a network.
 */
async function serviceWorkerReady(user: BrowserUser): Promise<void> {
  await until(
    'the service worker to control the page',
    () => user.page.evaluate<boolean>('navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)'),
    40_000,
  );
  await until(
    'the service worker to cache every file of the app',
    () =>
      user.page.evaluate<boolean>(`(async () => {
        const manifest = await (await fetch('/ngsw.json?ngsw-bypass=1')).json();
        const urls = manifest.assetGroups.find((group) => group.name === 'app').urls;
        const cached = await Promise.all(urls.map((url) => caches.match(url, { ignoreVary: true })));
        return cached.every(Boolean);
      })()`),
    40_000,
  );
}

/** What A's browser keeps in IndexedDB: the drafts, outbox entries and messages of her database. */
async function kept(user: BrowserUser): Promise<{ drafts: string[]; outbox: string[]; messages: string[] }> {
  return user.page.evaluate(`(async () => {
    const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n && n.startsWith('parley-user-'));
    if (!name) return { drafts: [], outbox: [], messages: [] };
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (store) => new Promise((resolve, reject) => {
      const request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const [drafts, outbox, timelines] = await Promise.all([all('drafts'), all('outbox'), all('timelines')]);
    db.close();
    return {
      drafts: drafts.map((d) => d.text),
      outbox: outbox.map((e) => e.body ?? e.key),
      messages: timelines.flatMap((t) => t.messages.map((m) => m.body)),
    };
  })()`);
}

function tickOf(user: BrowserUser, box: string, text: string) {
  return message(user, box, text).getByTestId('tick');
}

describe('offline in a real browser', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let a: BrowserUser;
  let b: BrowserUser;

  before(async () => {
    server = await startServer();
    for (const person of [alice, bruno, carmen]) await register(server.url, person);
    [a, b] = await Promise.all([BrowserUser.launch('A', alice, server.url), BrowserUser.launch('B', bruno, server.url)]);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  it('O1. A and B talk; A has chats with B and with Carmen open; the service worker holds the app', async () => {
    await Promise.all([logIn(a), logIn(b)]);
    await a.byTestId(`user-${bruno.username}`).click();
    await send(a, toB, 'Morning Bruno! Train at 8?');
    await message(b, toA, 'Morning Bruno! Train at 8?').waitFor();
    await send(b, toA, 'Yes, platform 4.');
    await message(a, toB, 'Yes, platform 4.').waitFor();
    await a.byTestId(`user-${carmen.username}`).click();
    await send(a, toC, 'Hi Carmen, are you coming on Saturday?');
    await tickOf(a, toC, 'Hi Carmen, are you coming on Saturday?').and(a.page.locator('[data-state="sent"]')).waitFor();
    await serviceWorkerReady(a);
    await a.screenshot('O1', 'online-two-chats');
  });

  it('O2. offline, A writes a draft for Carmen and sends a message to B: both are kept in the browser', async () => {
    await a.context.setOffline(true);
    await offline(a);
    await a.byTestId('offline-banner').waitFor();
    // Nobody is shown online while A cannot know.
    await a.byTestId('online-count').getByText('presence unknown while offline').waitFor();
    assert.equal(await a.page.locator('[data-testid="presence-dot"][data-online="true"]').count(), 0);

    await a.chatBox(toC).getByTestId('message-input').fill(DRAFT);
    await send(a, toB, QUEUED);
    await tickOf(a, toB, QUEUED).and(a.page.locator('[data-state="pending"]')).waitFor();
    const preview = a.page.locator(`[data-testid="chat-item"][data-chat-name="${toB}"] [data-testid="chat-preview"]`);
    assert.equal(await preview.innerText(), `Sending: ${QUEUED}`);
    await until('the draft, the queued message and the history to be kept', async () => {
      const { drafts, outbox, messages } = await kept(a);
      return drafts.includes(DRAFT) && outbox.includes(QUEUED) && messages.includes('Yes, platform 4.');
    });
    await a.screenshot('O2', 'offline-draft-and-queued');
  });

  it('O3. A reloads while offline: the app loads with history, panels, the draft and the queued message', async () => {
    await a.page.reload({ waitUntil: 'domcontentloaded' });
    await a.byTestId('current-user').getByText(toA).waitFor();
    await offline(a);
    await a.byTestId('offline-banner').waitFor();
    // Both panels came back, with the history seen before.
    await message(a, toB, 'Yes, platform 4.').waitFor();
    await message(a, toC, 'Hi Carmen, are you coming on Saturday?').waitFor();
    await tickOf(a, toB, QUEUED).and(a.page.locator('[data-state="pending"]')).waitFor();
    assert.equal(await a.chatBox(toC).getByTestId('message-input').inputValue(), DRAFT);
    assert.equal(await a.page.locator(`[data-testid="chat-item"]`).count(), 2);
    await a.byTestId(`user-${bruno.username}`).waitFor();
    assert.equal(await a.page.locator('[data-testid="presence-dot"][data-online="true"]').count(), 0);
    assert.equal(await message(b, toA, QUEUED).count(), 0, 'B has nothing yet');
    await a.screenshot('O3', 'reloaded-offline');
    await assertNoAxeViolations(a, 'offline after a reload');
  });

  it('O4. back online, the queued message reaches B exactly once and A’s bubble gets its ✓', async () => {
    await a.context.setOffline(false);
    await online(a);
    await message(b, toA, QUEUED).waitFor();
    await tickOf(a, toB, QUEUED).and(a.page.locator('[data-state="sent"], [data-state="delivered"], [data-state="read"]')).waitFor();
    assert.equal(await message(a, toB, QUEUED).count(), 1);
    await until('the outbox to be empty in the browser', async () => (await kept(a)).outbox.length === 0);
    // B's history from the server holds it once too.
    await b.page.reload({ waitUntil: 'domcontentloaded' });
    await online(b);
    await openChat(b, toA);
    await message(b, toA, 'Yes, platform 4.').waitFor();
    await message(b, toA, QUEUED).waitFor();
    assert.equal(await message(b, toA, QUEUED).count(), 1);
    assert.equal(await message(a, toB, QUEUED).count(), 1);
    await a.screenshot('O4', 'back-online-sent');
    await b.screenshot('O4', 'received-once');
  });

  it('O5. a message B refuses (he blocked A) shows ⚠ with Retry and Delete, and never looks sent', async () => {
    await b.chatBox(toA).getByTestId('chat-menu-button').click();
    await b.chatBox(toA).getByTestId('block-user').click();
    await b.page.locator('dialog[data-testid="block-user-dialog"]').getByTestId('block-user-confirm').click();
    await b.chatBox(toA).getByTestId('blocked-notice').waitFor();

    const refused = 'Did you get my message?';
    await send(a, toB, refused);
    const bubble = message(a, toB, refused);
    await bubble.getByTestId('failed-mark').waitFor();
    await bubble.getByTestId('not-sent').getByText('⚠').waitFor();
    assert.equal(await bubble.getByTestId('tick').count(), 0, 'no clock or tick on a refused message');
    await bubble.getByTestId('retry-message').waitFor();
    await bubble.getByTestId('delete-failed').waitFor();
    const preview = a.page.locator(`[data-testid="chat-item"][data-chat-name="${toB}"] [data-testid="chat-preview"]`);
    assert.equal(await preview.innerText(), `You: ${QUEUED}`, 'the chat list shows the last message sent, not the refused one');
    await a.screenshot('O5', 'refused');
    await assertNoAxeViolations(a, 'refused message');

    // Kept over a reload, still marked.
    await a.page.reload({ waitUntil: 'domcontentloaded' });
    await online(a);
    await message(a, toB, refused).getByTestId('failed-mark').waitFor();

    // Retry, once B has unblocked A: it goes out as a new message, once.
    await b.chatBox(toA).getByTestId('unblock-inline').click();
    await b.chatBox(toA).getByTestId('message-input').waitFor();
    await message(a, toB, refused).getByTestId('retry-message').click();
    await message(b, toA, refused).waitFor();
    await tickOf(a, toB, refused).and(a.page.locator('[data-state="sent"], [data-state="delivered"], [data-state="read"]')).waitFor();
    assert.equal(await message(a, toB, refused).count(), 1);
    assert.equal(await message(a, toB, refused).getByTestId('failed-mark').count(), 0);
    assert.equal(await message(b, toA, refused).count(), 1);

    // Delete: blocked again, the refused message goes, here and in the browser's storage.
    await b.chatBox(toA).getByTestId('chat-menu-button').click();
    await b.chatBox(toA).getByTestId('block-user').click();
    await b.page.locator('dialog[data-testid="block-user-dialog"]').getByTestId('block-user-confirm').click();
    await b.chatBox(toA).getByTestId('blocked-notice').waitFor();
    const dropped = 'Never mind, see you there.';
    await send(a, toB, dropped);
    await message(a, toB, dropped).getByTestId('failed-mark').waitFor();
    await message(a, toB, dropped).getByTestId('delete-failed').click();
    await until('the refused message to go', async () => (await message(a, toB, dropped).count()) === 0);
    await until('nothing left in the browser’s outbox', async () => (await kept(a)).outbox.length === 0);
    await a.page.reload({ waitUntil: 'domcontentloaded' });
    await online(a);
    await message(a, toB, refused).waitFor();
    assert.equal(await message(a, toB, dropped).count(), 0);
    await a.screenshot('O5', 'deleted');
  });

  it('O6. the open panels come back after a reload online', async () => {
    await a.chatBox(toB).waitFor();
    await a.chatBox(toC).waitFor();
    await a.chatBox(toC).getByTestId('chat-close').click();
    await until('the panel to close', async () => (await a.chatBox(toC).count()) === 0);
    await a.page.reload({ waitUntil: 'domcontentloaded' });
    await online(a);
    await a.chatBox(toB).getByTestId('message-list').waitFor();
    assert.equal(await a.chatBox(toC).count(), 0, 'the closed panel stays closed');
    await a.screenshot('O6', 'panels-restored');
  });

  it('O7. signing out deletes what the browser kept for A', async () => {
    await a.byTestId('logout').click();
    await a.page.waitForURL((url) => url.pathname === '/login');
    await until('A’s database to be deleted', async () =>
      a.page.evaluate<boolean>(`indexedDB.databases().then((list) => !list.some((d) => d.name && d.name.startsWith('parley-user-')))`),
    );
  });

  it('no console errors, uncaught exceptions or CSP violations on any page', () => {
    for (const user of [a, b]) {
      const unexpected = user.problems.filter((p) => !isExpectedNoise(p));
      assert.deepEqual(unexpected, [], `${user.label}: ${JSON.stringify(unexpected, null, 2)}`);
    }
  });
});
