import assert from 'node:assert/strict';
import type { BrowserUser } from './browser-user.js';

/**
 * The user has a second tab open in the same browser; signing out in the first signs the second
 * out too: it shows the login page and has no composer left to send with.
 */
export async function signOutEveryTab(user: BrowserUser): Promise<void> {
  const second = await user.context.newPage();
  try {
    await second.goto(new URL('/', user.page.url()).href, { waitUntil: 'domcontentloaded' });
    await second.locator('[data-testid="connection-state"][data-state="online"]').waitFor();

    await user.byTestId('logout').click();
    await user.page.waitForURL((url) => url.pathname === '/login');
    await second.waitForURL((url) => url.pathname === '/login');
    await second.getByTestId('login-username').waitFor();
    assert.equal(await second.getByTestId('message-input').count(), 0);
    assert.equal(await second.getByTestId('current-user').count(), 0);
    await user.screenshot('9', 'signed-out');
  } finally {
    await second.close();
  }
}
