/**
 * Profile and settings in a real browser: two people, each in their own Chromium profile, on the
 * built app and the real server. A renames herself on her profile page and B sees the new name
 * live, in his people list and as the title of their chat; A changes her password (a wrong
 * current one is refused at its field), logs out and in with the new one. Dark mode: B's system
 * asks for it and the app follows; A picks Dark by hand and it survives a reload. axe finds
 * nothing in dark mode on the chat screen, the profile page and a dialog. Blocking asks first.
 * Two people with the same name are told apart by their @username. On a phone-sized screen
 * opening a chat does not put the focus in the message field (no keyboard pops up), and axe
 * finds nothing there either.
 *
 * Run: npm run build, then node --import tsx --test frontend/e2e/profile.e2e.test.ts. Screenshots
 * land in frontend/e2e/artifacts/P*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations } from './axe.js';
import { BrowserUser, type PageProblem, type Person } from './browser-user.js';
import { logOutAndIn, registerThroughForm, send } from './chat-steps.js';
import { startServer, type RunningServer } from './e2e-server.js';
import { fullName } from './people.js';
import { until } from './until.js';

const dana: Person = {
  username: 'dana.k',
  firstName: 'Dana',
  lastName: 'Kowalski',
  email: 'dana@example.test',
  gender: 'female',
  password: 'Juniper-Harbor-77',
};
const emil: Person = {
  username: 'emil_r',
  firstName: 'Emil',
  lastName: 'Rossi',
  email: 'emil@example.test',
  gender: 'male',
  password: 'Granite-Willow-905',
};
/** Two people with the same name, signed up over the API. */
const alTwins: Person[] = ['al.north', 'al.south'].map((username) => ({
  username,
  firstName: 'Al',
  lastName: 'Two',
  email: `${username}@example.test`,
  gender: 'unspecified',
  password: 'Thistle-Comet-4412',
}));

const NEW_FIRST_NAME = 'Daniela';
const NEW_PASSWORD = 'Saffron-Lighthouse-62';

/** As in chat.e2e.test.ts: a first visit without a session asks /api/auth/refresh and gets a 401. */
function isExpectedNoise(problem: PageProblem): boolean {
  return problem.kind === 'console' && /status of 401/.test(problem.text) && (problem.url ?? '').endsWith('/api/auth/refresh');
}

/** The background colour the page's root paints (the canvas), as the browser computed it. */
function canvasColour(user: BrowserUser): Promise<string> {
  return user.page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
}

/** True for a dark colour (`rgb(r, g, b)` with a low luminance). */
function isDark(colour: string): boolean {
  const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number);
  return r! + g! + b! < 3 * 80;
}

const focusedTestId = (user: BrowserUser) => user.page.evaluate<string | undefined>('document.activeElement?.dataset.testid');

describe('profile, settings, dark mode and small fixes in a real browser', { timeout: 120_000 }, () => {
  let server: RunningServer;
  let a: BrowserUser;
  let b: BrowserUser;
  /** A's details as they change: logOutAndIn signs in with these and checks the header's name. */
  const aPerson: Person = { ...dana };

  before(async () => {
    server = await startServer();
    for (const twin of alTwins) {
      const response = await fetch(`${server.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(twin),
      });
      assert.equal(response.status, 201, await response.text());
    }
    [a, b] = await Promise.all([BrowserUser.launch('A', aPerson, server.url), BrowserUser.launch('B', emil, server.url)]);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  it('P1. both register; A writes to B, who opens the chat titled with her name', async () => {
    await registerThroughForm(a, 'P1a');
    await registerThroughForm(b, 'P1b');
    await a.byTestId(`user-${emil.username}`).click();
    await a.chatBox(fullName(emil)).waitFor();
    await send(a, fullName(emil), 'Hello from Dana');
    await b.chatBox(fullName(dana)).getByText('Hello from Dana').waitFor();
    assert.equal(await b.byTestId(`user-${dana.username}`).locator('.name').innerText(), fullName(dana));
  });

  it('P2. A renames herself on her profile page; B sees the new name live, without a reload', async () => {
    await a.byTestId('profile-link').click();
    await a.page.waitForURL((url) => url.pathname === '/profile');
    await a.byTestId('profile-form').waitFor();
    assert.equal(await a.byTestId('profile-firstName').inputValue(), dana.firstName);
    await a.screenshot('P2a', 'profile-page');
    await assertNoAxeViolations(a, 'profile page (light)');

    // A wrong field first: the error is at the field, which takes the focus.
    await a.byTestId('profile-firstName').fill('');
    await a.byTestId('profile-save').click();
    await a.byTestId('error-firstName').waitFor();
    assert.equal(await focusedTestId(a), 'profile-firstName');
    await assertNoAxeViolations(a, 'profile page with a field error');

    const bLoadedAt = await b.page.evaluate<number>('performance.timeOrigin');
    await a.byTestId('profile-firstName').fill(NEW_FIRST_NAME);
    await a.byTestId('profile-save').click();
    await until('A to be told her details were saved', async () => (await a.byTestId('profile-status').innerText()).includes('saved'));
    assert.equal(await a.byTestId('profile-name').innerText(), `${NEW_FIRST_NAME} ${dana.lastName}`);
    aPerson.firstName = NEW_FIRST_NAME;
    await a.screenshot('P2b', 'profile-saved');

    const renamed = fullName(aPerson);
    await b.chatBox(renamed).waitFor();
    await until('B’s people list to show the new name', async () =>
      (await b.byTestId(`user-${dana.username}`).locator('.name').innerText()) === renamed ? true : undefined,
    );
    await b.page.locator(`[data-testid="chat-item"][data-chat-name="${renamed}"]`).waitFor();
    assert.equal(await b.page.evaluate<number>('performance.timeOrigin'), bLoadedAt, 'B’s page was not reloaded');
    await b.screenshot('P2c', 'sees-new-name');
  });

  it('P3. A changes her password (the current one first), logs out and in with the new one', async () => {
    await a.byTestId('profile-currentPassword').fill('Not-My-Password-1');
    await a.byTestId('profile-newPassword').fill(NEW_PASSWORD);
    await a.byTestId('profile-confirm').fill(NEW_PASSWORD);
    await a.byTestId('password-save').click();
    await a.byTestId('error-currentPassword').waitFor();
    assert.match(await a.byTestId('error-currentPassword').innerText(), /Current password is wrong/);
    assert.equal(await focusedTestId(a), 'profile-currentPassword');
    await a.screenshot('P3a', 'wrong-current-password');

    await a.byTestId('profile-currentPassword').fill(dana.password);
    await a.byTestId('password-save').click();
    await until('A to be told her password changed', async () =>
      (await a.byTestId('password-status').innerText()).includes('password was changed'),
    );
    assert.equal(await a.byTestId('profile-currentPassword').inputValue(), '');
    await a.screenshot('P3b', 'password-changed');
    aPerson.password = NEW_PASSWORD;

    await a.byTestId('back-to-chats').click();
    await a.page.waitForURL((url) => url.pathname === '/');
    await logOutAndIn(a, 'P3c');
    await a.screenshot('P3d', 'signed-in-with-new-password');
  });

  it('P4. dark mode follows the system by default, and a choice of Dark survives a reload', async () => {
    await b.page.emulateMedia({ colorScheme: 'light' });
    assert.equal(isDark(await canvasColour(b)), false, 'light while the system is light');
    await b.page.emulateMedia({ colorScheme: 'dark' });
    await until('B’s app to follow the system into dark mode', async () => isDark(await canvasColour(b)));
    await b.screenshot('P4a', 'system-dark');
    await assertNoAxeViolations(b, 'chat screen (dark, from the system)');

    await a.byTestId('profile-link').click();
    await a.byTestId('theme-dark').check();
    assert.equal(await a.page.evaluate<string | undefined>('document.documentElement.dataset.theme'), 'dark');
    assert.ok(isDark(await canvasColour(a)));
    await a.screenshot('P4b', 'profile-dark');
    await assertNoAxeViolations(a, 'profile page (dark)');

    await a.page.reload({ waitUntil: 'domcontentloaded' });
    await a.byTestId('profile-form').waitFor();
    assert.equal(await a.byTestId('theme-dark').isChecked(), true);
    assert.ok(isDark(await canvasColour(a)), 'still dark after a reload');

    await a.byTestId('back-to-chats').click();
    await a.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
    await a.byTestId(`user-${emil.username}`).click();
    await a.chatBox(fullName(emil)).getByText('Hello from Dana').waitFor();
    await a.screenshot('P4c', 'chat-dark');
    await assertNoAxeViolations(a, 'chat screen (dark)');
  });

  it('P5. blocking asks first, in a dialog; Cancel blocks nobody', async () => {
    const box = b.chatBox(fullName(aPerson));
    await box.getByTestId('chat-menu-button').click();
    await box.getByTestId('block-user').click();
    const dialog = b.page.locator('dialog[data-testid="block-user-dialog"]');
    await dialog.waitFor();
    assert.match(await dialog.locator('h2').innerText(), new RegExp(`Block ${fullName(aPerson)}\\?`));
    assert.equal(await focusedTestId(b), 'block-user-cancel');
    await b.screenshot('P5a', 'block-question-dark');
    await assertNoAxeViolations(b, 'block dialog (dark)');

    await dialog.getByTestId('block-user-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await box.getByTestId('blocked-notice').count(), 0);

    await box.getByTestId('chat-menu-button').click();
    await box.getByTestId('block-user').click();
    await dialog.getByTestId('block-user-confirm').click();
    await box.getByTestId('blocked-notice').waitFor();
    await b.screenshot('P5b', 'blocked');
    await box.getByTestId('unblock-inline').click();
    await box.getByTestId('message-input').waitFor();
  });

  it('P6. two people named Al Two are told apart by their @username, in the people list and the new-group dialog', async () => {
    const rows = alTwins.map((twin) => b.byTestId(`user-${twin.username}`));
    for (const [i, row] of rows.entries()) {
      await row.waitFor();
      assert.equal(await row.locator('.name').innerText(), 'Al Two');
      assert.match(await row.locator('.username').innerText(), new RegExp(`@${alTwins[i]!.username.replace('.', '\\.')}`));
    }
    for (const twin of alTwins) await b.byTestId(`select-${twin.username}`).click();
    await b.byTestId('start-group').click();
    const dialog = b.page.locator('dialog[data-testid="create-group-dialog"]');
    await dialog.waitFor();
    for (const twin of alTwins) {
      assert.match(await dialog.getByTestId(`member-${twin.username}`).innerText(), new RegExp(`Al Two\\s+@${twin.username.replace('.', '\\.')}`));
    }
    await b.screenshot('P6', 'same-names-told-apart');
    await assertNoAxeViolations(b, 'new group dialog (dark)');
    await b.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('P7. on a phone-sized screen opening a chat leaves the keyboard down; axe finds nothing', async () => {
    await a.page.setViewportSize({ width: 360, height: 740 });
    await a.screenshot('P7', 'phone-resized');
    const back = a.byTestId('chat-back');
    await back.first().waitFor();
    await back.first().click();
    await a.byTestId('user-search').waitFor();
    await assertNoAxeViolations(a, 'phone lists (dark)');
    await a.screenshot('P7a', 'phone-lists');

    await a.page.locator(`[data-testid="chat-item"][data-chat-name="${fullName(emil)}"]`).click();
    const box = a.chatBox(fullName(emil));
    await box.getByTestId('message-list').waitFor();
    await until('the chat’s title to take the focus', async () => ((await focusedTestId(a)) === 'chat-title' ? true : undefined));
    assert.notEqual(await focusedTestId(a), 'message-input', 'the message field must not take the focus on a phone');
    await a.screenshot('P7b', 'phone-chat-open');
    await assertNoAxeViolations(a, 'phone chat (dark)');

    // Back on a desktop-sized screen, opening a chat puts the focus in the message field again.
    await a.page.setViewportSize({ width: 1280, height: 800 });
    await a.byTestId(`user-${emil.username}`).click();
    await until('the message field to take the focus on a desktop', async () => ((await focusedTestId(a)) === 'message-input' ? true : undefined));
  });

  it('P8. the login page keeps the chosen dark theme after logging out, and axe finds nothing there', async () => {
    await a.byTestId('logout').click();
    await a.page.waitForURL((url) => url.pathname === '/login');
    await a.byTestId('login-username').waitFor();
    assert.ok(isDark(await canvasColour(a)), 'the login page is dark too');
    await a.screenshot('P8', 'login-dark');
    await assertNoAxeViolations(a, 'login (dark)');
  });

  it('P9. nothing went wrong in either browser (console errors, exceptions, CSP violations)', () => {
    for (const user of [a, b]) {
      const unexpected = user.problems.filter((p) => !isExpectedNoise(p));
      assert.deepEqual(unexpected, [], `${user.label}: ${JSON.stringify(unexpected, null, 2)}`);
    }
  });
});
