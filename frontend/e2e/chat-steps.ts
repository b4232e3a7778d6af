/** Steps a person takes in the app, shared by the e2e scenarios. */
import assert from 'node:assert/strict';
import { assertNoAxeViolations } from './axe.js';
import type { BrowserUser } from './browser-user.js';
import { fullName } from './people.js';

export async function registerThroughForm(user: BrowserUser, step: string): Promise<void> {
  const { person } = user;
  await user.goto('/register');
  await user.byTestId('register-username').fill(person.username);
  await user.byTestId('register-firstName').fill(person.firstName);
  await user.byTestId('register-lastName').fill(person.lastName);
  await user.byTestId('register-email').fill(person.email);
  await user.byTestId('register-gender').selectOption(person.gender);
  await user.byTestId('register-password').fill(person.password);
  await user.byTestId('register-confirm').fill(person.password);
  await user.screenshot(step, 'register-form');
  await assertNoAxeViolations(user, 'register');
  await user.byTestId('register-submit').click();
  await user.page.waitForURL((url) => url.pathname === '/');
  await user.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
}

export async function logOutAndIn(user: BrowserUser, step: string): Promise<void> {
  await user.byTestId('logout').click();
  await user.page.waitForURL((url) => url.pathname === '/login');
  await user.byTestId('login-username').fill(user.person.username);
  await user.byTestId('login-password').fill(user.person.password);
  await user.screenshot(step, 'login-form');
  await assertNoAxeViolations(user, 'login');
  await user.byTestId('login-submit').click();
  await user.page.waitForURL((url) => url.pathname === '/');
  await user.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
  assert.equal(await user.byTestId('current-user').innerText(), fullName(user.person));
}

export async function send(user: BrowserUser, boxName: string, text: string): Promise<void> {
  const input = user.chatBox(boxName).getByTestId('message-input');
  await input.fill(text);
  await user.chatBox(boxName).getByTestId('send-button').click();
}

/** The message in a box whose body is `text`. */
export function message(user: BrowserUser, boxName: string, text: string) {
  return user.chatBox(boxName).getByTestId('message').filter({
    has: user.page.getByTestId('message-body').getByText(text, { exact: true }),
  });
}

/** The message in a box whose (formatted) body contains `text`. */
export function messageWith(user: BrowserUser, boxName: string, text: string) {
  return user.chatBox(boxName).getByTestId('message').filter({
    has: user.page.getByTestId('message-body').filter({ hasText: text }),
  });
}

/** Opens (or brings forward) the box of a chat from the chat list. */
export async function openChat(user: BrowserUser, name: string): Promise<void> {
  await user.page.locator(`[data-testid="chat-item"][data-chat-name="${name}"]`).click();
  await user.chatBox(name).getByTestId('message-list').waitFor();
}
