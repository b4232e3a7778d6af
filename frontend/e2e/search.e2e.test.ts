/**
 * Message search in a real browser: three people in a group with 120 messages (seeded over
 * REST), A and B each in their own Chromium profile on the built app and the real server. A
 * searches a part of a word ("deploy" finds "redeployed"): the hits are grouped by chat with
 * the match marked in each snippet; the arrow keys and Enter open the group at an old message,
 * shown in context, highlighted and focused; scrolling up and down from there pages both ways
 * with no message missing or twice. B searches inside the open chat from its menu. Ctrl+K puts
 * the focus in the search box. axe finds nothing on the results screen.
 *
 * Run: npm run build, then node --import tsx --test frontend/e2e/search.e2e.test.ts. Screenshots
 * land in frontend/e2e/artifacts/S*.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations } from './axe.js';
import { BrowserUser, type PageProblem, type Person } from './browser-user.js';
import { startServer, type RunningServer } from './e2e-server.js';
import { alice, bruno, carmen, fullName } from './people.js';
import { until } from './until.js';

const GROUP = 'Release crew';
const MESSAGES = 120;
/** The one group message about a redeploy: old enough to be neither in the latest page nor next to it. */
const HIT_NUMBER = 20;
const bodyOf = (n: number) => (n === HIT_NUMBER ? `Update ${n}: we redeployed the billing service` : `Update ${n}: all quiet on shift ${n}`);
const DIRECT_BODY = 'The deploy checklist for billing is ready';

/** As in chat.e2e.test.ts: a first visit without a session asks /api/auth/refresh and gets a 401. */
function isExpectedNoise(problem: PageProblem): boolean {
  return problem.kind === 'console' && /status of 401/.test(problem.text) && (problem.url ?? '').endsWith('/api/auth/refresh');
}

/** A REST client signed in as one person. */
class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async register(baseUrl: string, person: Person): Promise<Api> {
    const registered = await fetch(`${baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(person),
    });
    assert.equal(registered.status, 201, await registered.text());
    const login = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: person.username, password: person.password }),
    });
    const text = await login.text();
    assert.equal(login.status, 200, text);
    const { accessToken, user } = JSON.parse(text) as { accessToken: string; user: { id: string } };
    const api = new Api(baseUrl, accessToken);
    api.userId = user.id;
    return api;
  }

  userId = '';

  /** Sends a request; a 429 (the write budget) waits as long as Retry-After says and tries again. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (;;) {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (response.status === 429) {
        await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('Retry-After') ?? '1') * 1000));
        continue;
      }
      const text = await response.text();
      assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as T;
    }
  }

  send(chatId: string, body: string): Promise<unknown> {
    return this.call('POST', `/api/chats/${chatId}/messages`, { clientId: randomUUID(), body });
  }
}

async function signInThroughForm(user: BrowserUser): Promise<void> {
  await user.goto('/login');
  await user.byTestId('login-username').fill(user.person.username);
  await user.byTestId('login-password').fill(user.person.password);
  await user.byTestId('login-submit').click();
  await user.page.waitForURL((url) => url.pathname === '/');
  await user.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
}

/** The bodies of the messages a box shows, top to bottom. */
function shownBodies(user: BrowserUser, boxName: string): Promise<string[]> {
  return user.chatBox(boxName).getByTestId('message-body').allInnerTexts();
}

const focused = (user: BrowserUser) =>
  user.page.evaluate<{ testid?: string; messageId?: string }>('({ testid: document.activeElement?.dataset.testid, messageId: document.activeElement?.dataset.messageId })');

describe('message search in a real browser', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let a: BrowserUser;
  let b: BrowserUser;
  let groupId = '';
  let hitId = '';

  before(async () => {
    server = await startServer();
    const [apiA, apiB, apiC] = await Promise.all([alice, bruno, carmen].map((person) => Api.register(server.url, person)));
    const { chat } = await apiA!.call<{ chat: { id: string } }>('POST', '/api/groups', { name: GROUP, memberIds: [apiB!.userId, apiC!.userId] });
    groupId = chat.id;
    // 120 messages from the three of them, in order (each waits for the one before).
    const senders = [apiA!, apiB!, apiC!];
    for (let n = 1; n <= MESSAGES; n++) {
      const sent = (await senders[n % 3]!.send(groupId, bodyOf(n))) as { message: { id: string } };
      if (n === HIT_NUMBER) hitId = sent.message.id;
    }
    const direct = await apiB!.call<{ chat: { id: string } }>('POST', '/api/chats/direct', { userId: apiA!.userId });
    await apiB!.send(direct.chat.id, DIRECT_BODY);
    [a, b] = await Promise.all([BrowserUser.launch('A', alice, server.url), BrowserUser.launch('B', bruno, server.url)]);
    await Promise.all([signInThroughForm(a), signInThroughForm(b)]);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  it('S1. A searches a part of a word: the hits are grouped by chat, the match marked in each snippet', async () => {
    const box = a.byTestId('message-search-input');
    await box.fill('deploy');
    await box.press('Enter');
    await a.byTestId('search-hit').first().waitFor();

    const groups = a.byTestId('search-group');
    assert.deepEqual(await groups.evaluateAll((all) => all.map((group) => group.getAttribute('aria-label'))), [fullName(bruno), GROUP]);
    const groupHit = a.page.locator(`[data-testid="search-hit"][data-message-id="${hitId}"]`);
    assert.equal(await groupHit.getByTestId('search-snippet').innerText(), bodyOf(HIT_NUMBER));
    assert.deepEqual(await groupHit.locator('mark').allInnerTexts(), ['deploy']);
    assert.match(await groupHit.innerText(), new RegExp(fullName(carmen))); // message 20: sent by senders[20 % 3], Carmen
    assert.deepEqual(await a.byTestId('search-hit').first().locator('mark').allInnerTexts(), ['deploy']);
    assert.equal(await a.byTestId('search-hit').count(), 2);
    await until('the page’s live region to tell what was found', async () => /2 messages found in 2 chats/.test(await a.byTestId('announcer').innerText()));
    await a.screenshot('S1a', 'results');
    await assertNoAxeViolations(a, 'search results');

    // Something that is nowhere: said in plain words.
    await box.fill('zanzibar');
    await box.press('Enter');
    await a.byTestId('search-empty').waitFor();
    assert.equal(await a.byTestId('search-empty').innerText(), 'No messages match “zanzibar”.');
    await a.screenshot('S1b', 'no-results');
    await assertNoAxeViolations(a, 'search without results');
  });

  it('S2. the arrow keys pick the group hit, Enter opens the group at it: in context, highlighted and focused', async () => {
    const box = a.byTestId('message-search-input');
    await box.fill('deploy');
    await box.press('Enter');
    await a.byTestId('search-hit').nth(1).waitFor();
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    await until('the group hit to be the active option', async () => (await box.getAttribute('aria-activedescendant')) === `search-hit-${hitId}`);
    assert.equal(await a.page.locator(`[data-testid="search-hit"][data-message-id="${hitId}"]`).getAttribute('aria-selected'), 'true');
    await a.screenshot('S2a', 'hit-active');
    await box.press('Enter');

    const hit = a.chatBox(GROUP).locator(`[data-testid="message"][data-message-id="${hitId}"]`);
    await until('the hit to be shown highlighted and focused', async () =>
      hit.evaluate((element) => element.classList.contains('highlight') && element === document.activeElement),
    );
    assert.equal((await focused(a)).messageId, hitId);
    await a.screenshot('S2b', 'jumped-to-hit');
    // In context: its neighbours are there, and it is in sight in the list.
    const bodies = await shownBodies(a, GROUP);
    assert.ok(bodies.includes(bodyOf(HIT_NUMBER - 1)) && bodies.includes(bodyOf(HIT_NUMBER + 1)), 'the messages around the hit are shown');
    const inSight = await hit.evaluate((element) => {
      const list = element.closest('[data-testid="message-list"]')!.getBoundingClientRect();
      const box = element.getBoundingClientRect();
      return box.top >= list.top && box.bottom <= list.bottom;
    });
    assert.ok(inSight, 'the hit is scrolled into the list');
    // The results stay, for the next hit.
    assert.equal(await a.byTestId('search-hit').count(), 2);
  });

  it('S3. from the hit, scrolling up pages back to the first message and scrolling down reaches the newest, none missing or twice', async () => {
    const list = a.chatBox(GROUP).getByTestId('message-list');
    const expected = Array.from({ length: MESSAGES }, (_, i) => bodyOf(i + 1));
    await until(
      'every message from the first to the newest, in order',
      async () => {
        await list.evaluate((element) => {
          // Alternate: to the top (older pages load there), then to the bottom (newer ones).
          const atTop = element.scrollTop < 48;
          element.scrollTop = atTop ? element.scrollHeight : 0;
          element.dispatchEvent(new Event('scroll'));
        });
        const bodies = await shownBodies(a, GROUP);
        return JSON.stringify(bodies) === JSON.stringify(expected) ? true : undefined;
      },
      30_000,
    );
    await list.evaluate((element) => (element.scrollTop = 0));
    await a.chatBox(GROUP).getByText(bodyOf(1), { exact: true }).waitFor();
    await a.screenshot('S3a', 'paged-to-first');
    await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await a.screenshot('S3b', 'paged-to-newest');
  });

  it('S4. B searches inside the open group from its menu: only that chat', async () => {
    await b.page.locator(`[data-testid="chat-item"][data-chat-name="${GROUP}"]`).click();
    const group = b.chatBox(GROUP);
    await group.getByTestId('message-list').waitFor();
    await group.getByTestId('chat-menu-button').click();
    await group.getByTestId('search-in-chat').click();
    await until('the search box to take the focus', async () => (await focused(b)).testid === 'message-search-input');
    assert.match(await b.byTestId('search-scope').innerText(), new RegExp(`In ${GROUP}`));

    const box = b.byTestId('message-search-input');
    await box.fill('billing');
    await box.press('Enter');
    await b.byTestId('search-hit').first().waitFor();
    // "billing" is in the direct chat too, but only the group is searched.
    assert.deepEqual(await b.byTestId('search-group').evaluateAll((all) => all.map((g) => g.getAttribute('aria-label'))), [GROUP]);
    assert.equal(await b.byTestId('search-hit').count(), 1);
    assert.deepEqual(await b.byTestId('search-hit').locator('mark').allInnerTexts(), ['billing']);
    await b.screenshot('S4a', 'search-in-chat');
    await assertNoAxeViolations(b, 'search inside one chat');

    // Dismissing the chip searches every chat again.
    await b.byTestId('search-everywhere').click();
    await until('both chats to be searched', async () => ((await b.byTestId('search-group').count()) === 2 ? true : undefined));
  });

  it('S5. Ctrl+K puts the focus in the search box from the message field; Escape clears it', async () => {
    const box = b.byTestId('message-search-input');
    await b.chatBox(GROUP).getByTestId('message-input').focus();
    assert.equal((await focused(b)).testid, 'message-input');
    await b.page.keyboard.press('Control+k');
    await until('the search box to take the focus', async () => (await focused(b)).testid === 'message-search-input');
    await box.press('Escape');
    await until('the search box cleared', async () => (await box.inputValue()) === '');
    assert.equal(await b.byTestId('search-results').count(), 0);
    await b.page.locator(`[data-testid="chat-item"][data-chat-name="${GROUP}"]`).waitFor();
    await b.screenshot('S5a', 'cleared');
  });

  it('S6. no page problems', () => {
    for (const user of [a, b]) {
      const problems = user.problems.filter((problem) => !isExpectedNoise(problem));
      assert.deepEqual(problems, [], `${user.label}: ${JSON.stringify(problems)}`);
    }
  });
});
