/**
 * The drop-in widget on someone else's site, in a real browser: a plain static host site on
 * its own origin (http://localhost:<port>; the chat server is http://127.0.0.1:<port>) embeds
 * `<parley-chat>` with one script tag, under the CSP INTEGRATION.md lists. Its user signs in
 * to the host only; the widget gets the chat's SSO token from the host's token endpoint, with
 * no chat login form. They exchange messages both ways with a user of the full app at their
 * own browser; the launcher's badge counts an unread message; the host's hostile CSS does not
 * reach into the widget, and the widget's styles do not reach out; axe finds nothing on the
 * host page with the widget open.
 *
 * Run: npm run build (the app and the widget), then
 * node --import tsx --test frontend/e2e/widget.e2e.test.ts. Screenshots: artifacts/W*.png.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations } from './axe.js';
import { BrowserUser, type PageProblem, type Person } from './browser-user.js';
import { message, registerThroughForm, send } from './chat-steps.js';
import { REPO_ROOT, startServer, type RunningServer } from './e2e-server.js';
import { startHostSite, type HostSite, type HostUser } from './host-site.js';
import { bruno, fullName } from './people.js';
import { until } from './until.js';

const SSO_SECRET = randomBytes(32).toString('base64url');
const ACCESS_TOKEN_TTL_S = 40;
/** The host site's user: she never gets a chat password. */
const dana: HostUser = { id: 'host-4711', username: 'dana', firstName: 'Dana', lastName: 'Scully', email: 'dana@host.example' };
const danaAsPerson: Person = { ...dana, gender: 'female', password: 'unused-no-password-here' };
const DANA = `${dana.firstName} ${dana.lastName}`;
const BRUNO = fullName(bruno);

/** The host's token endpoint answers 401 while nobody is signed in there; Chromium logs that. */
function isExpectedNoise(problem: PageProblem): boolean {
  if (problem.kind !== 'console') return false;
  const tokenWhileSignedOut = /status of 401/.test(problem.text) && (problem.url ?? '').endsWith('/parley-token');
  const refreshWithoutSession = /status of 401/.test(problem.text) && (problem.url ?? '').endsWith('/api/auth/refresh');
  return tokenWhileSignedOut || refreshWithoutSession;
}

/** Computed styles of a few properties of an element (through the widget's open shadow root too). */
async function stylesOf(user: BrowserUser, selector: string): Promise<Record<string, string>> {
  return user.page.locator(selector).first().evaluate((element) => {
    const style = getComputedStyle(element);
    const keys = ['fontSize', 'color', 'backgroundColor', 'borderRadius', 'minHeight', 'paddingLeft', 'position', 'width', 'textTransform', 'fontFamily'] as const;
    return Object.fromEntries(keys.map((key) => [key, style[key]]));
  });
}

/** The test id of the element focused inside the widget's shadow root. */
function focusedTestId(user: BrowserUser): Promise<string | null> {
  return user.page.evaluate(() => document.querySelector('parley-chat')?.shadowRoot?.activeElement?.getAttribute('data-testid') ?? null);
}

describe('the chat widget on a host site', { timeout: 180_000 }, () => {
  let chat: RunningServer;
  let host: HostSite;
  let w: BrowserUser;
  let b: BrowserUser;

  before(async () => {
    if (!existsSync(resolve(REPO_ROOT, 'dist/widget/browser/main.js'))) throw new Error('dist/widget is missing: npm run build');
    let chatUrl = '';
    host = await startHostSite({ chatServer: () => chatUrl, ssoSecret: SSO_SECRET, users: [dana] });
    // Access tokens for 40 s: the widget renews its token every 10 s (at the latest 30 s before
    // expiry), each time with a fresh SSO token from the host's endpoint.
    chat = await startServer({ SSO_SECRET, CORS_ORIGINS: host.url, ACCESS_TOKEN_TTL_S: String(ACCESS_TOKEN_TTL_S) });
    chatUrl = chat.url;
    assert.notEqual(new URL(host.url).origin, new URL(chat.url).origin);
    [w, b] = await Promise.all([BrowserUser.launch('W-host', danaAsPerson, host.url), BrowserUser.launch('W-app', bruno, chat.url)]);
  });

  after(async () => {
    await Promise.all([w?.close(), b?.close()]);
    await chat?.stop();
    await host?.stop();
  });

  it('W1: without a host session, the widget asks the visitor to sign in to the host (no chat login form)', async () => {
    await w.goto('/');
    await w.byTestId('widget-launcher').click();
    await until('the focus in the opened panel', async () => (await focusedTestId(w)) === 'widget-close');
    const status = w.byTestId('widget-status');
    await until('the signed-out notice', async () => (await status.getAttribute('data-phase')) === 'signed-out');
    assert.match(await status.innerText(), /Sign in to this site to chat/);
    assert.equal(await w.page.locator('input[type="password"]').count(), 0);
    await w.screenshot('W1', 'signed-out');
  });

  it('W2: signed in at the host, the widget signs in by SSO and the app user registers', async () => {
    await Promise.all([
      registerThroughForm(b, 'W2'),
      (async () => {
        await w.goto('/sign-in?as=dana');
        await w.byTestId('widget-launcher').click();
        await w.page.locator('app-chat-list').waitFor();
      })(),
    ]);
    // The widget's access token is in memory only: nothing in the host's storage.
    const kept = await w.page.evaluate(async () => ({
      local: Object.keys(localStorage),
      session: Object.keys(sessionStorage),
      databases: (await indexedDB.databases()).map((db) => db.name),
    }));
    assert.deepEqual(kept, { local: [], session: [], databases: [] });
    await w.screenshot('W2', 'widget-open');
  });

  it('W3: the host user writes to the app user from the widget, who answers from the app', async () => {
    await w.byTestId(`user-${bruno.username}`).click();
    await w.chatBox(BRUNO).getByTestId('message-list').waitFor();
    await send(w, BRUNO, 'Hello from the host site');
    await message(b, DANA, 'Hello from the host site').waitFor();
    await send(b, DANA, 'Hi Dana, this is the app');
    await message(w, BRUNO, 'Hi Dana, this is the app').waitFor();
    await w.screenshot('W3', 'conversation');
    await b.screenshot('W3', 'conversation');
  });

  it('W4: with the panel closed, the launcher badge counts an unread message; opening the chat reads it', async () => {
    await w.byTestId('widget-close').click();
    await w.byTestId('widget-panel').waitFor({ state: 'detached' });
    await until('the focus back on the launcher', async () => (await focusedTestId(w)) === 'widget-launcher');
    await send(b, DANA, 'Are you still there?');
    const badge = w.byTestId('widget-badge');
    await until('the launcher badge to count 1', async () => (await badge.count()) === 1 && (await badge.innerText()) === '1');
    assert.equal(await w.byTestId('widget-launcher').getAttribute('aria-label'), 'Chat, 1 unread');
    await w.screenshot('W4', 'badge');
    await w.byTestId('widget-launcher').click();
    await w.page.locator(`[data-testid="chat-item"][data-chat-name="${BRUNO}"]`).click();
    await message(w, BRUNO, 'Are you still there?').waitFor();
    await until('the badge to go once read', async () => (await badge.count()) === 0);
  });

  it("W5: the host's hostile CSS does not reach into the widget, and the widget's styles do not reach out", async () => {
    const body = await stylesOf(w, '[data-testid="message-body"]');
    assert.notEqual(body['color'], 'rgb(255, 0, 0)');
    assert.ok(parseFloat(body['fontSize']!) < 20, `message text is ${body['fontSize']}`);
    const input = await stylesOf(w, '[data-testid="message-input"]');
    assert.ok(parseFloat(input['fontSize']!) < 20, `the message field's text is ${input['fontSize']}`);
    assert.doesNotMatch(input['fontFamily']!, /^serif$/);
    const launcher = await stylesOf(w, '[data-testid="widget-launcher"]');
    assert.notEqual(launcher['backgroundColor'], 'rgb(255, 255, 0)');
    assert.equal(launcher['width'], '56px');
    // The host's own elements look the same with the widget as on the host's page without it.
    const withWidget = { button: await stylesOf(w, '[data-testid="host-button"]'), text: await stylesOf(w, '[data-testid="host-text"]') };
    await w.screenshot('W5', 'hostile-css');
    const plain = await BrowserUser.launch('W-plain', danaAsPerson, host.url);
    try {
      await plain.goto('/plain');
      const without = { button: await stylesOf(plain, '[data-testid="host-button"]'), text: await stylesOf(plain, '[data-testid="host-text"]') };
      assert.deepEqual(withWidget, without);
      assert.equal(without.text['position'], 'static');
    } finally {
      await plain.close();
    }
  });

  it('W6: axe finds nothing on the host page with the widget open', async () => {
    await assertNoAxeViolations(w, 'host page with the widget open (chat)');
    await w.byTestId('chat-back').click();
    await w.page.locator('app-chat-list').waitFor();
    await assertNoAxeViolations(w, 'host page with the widget open (lists)');
    await w.screenshot('W6', 'lists');
  });

  it('W7: past its access token lifetime, the widget renews it with fresh SSO tokens from the host and keeps chatting', async () => {
    // The sign-in's token, then one every 10 s: the fifth comes 40 s after the sign-in, when the
    // first access token has expired.
    await until('four renewals through the host endpoint', () => host.tokensMinted() >= 5, (ACCESS_TOKEN_TTL_S + 20) * 1000);
    await w.page.locator(`[data-testid="chat-item"][data-chat-name="${BRUNO}"]`).click();
    await send(w, BRUNO, 'Still here after renewals');
    await message(b, DANA, 'Still here after renewals').waitFor();
    await send(b, DANA, 'Good to see');
    await message(w, BRUNO, 'Good to see').waitFor();
  });

  it('W8: no console errors, page errors or CSP violations on either side', () => {
    assert.deepEqual(w.problems.filter((p) => !isExpectedNoise(p)), []);
    assert.deepEqual(b.problems.filter((p) => !isExpectedNoise(p)), []);
  });
});
