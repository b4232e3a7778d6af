/**
 * Changing messages in a real browser, steps 5 to 7 of chat.e2e.test.ts: formatting, reactions
 * (through the emoji picker too), replies and the jump to a quoted original, edits, deletes
 * (an admin's in a group too), an edit made while the other side was offline, and the long
 * press that stands in for hovering on a phone.
 */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { assertNoAxeViolations } from './axe.js';
import type { BrowserUser } from './browser-user.js';
import { message, messageWith, openChat, send } from './chat-steps.js';
import { alice, bruno, fullName } from './people.js';
import { until } from './until.js';

/** Step 5: A formats a message; B reacts with the emoji picker, A joins in; B replies, A jumps to the original. */
export async function formatReactReplyJump(a: BrowserUser, b: BrowserUser): Promise<void> {
  const toB = fullName(bruno);
  const toA = fullName(alice);
  await b.page.setViewportSize({ width: 1280, height: 800 });
  await openChat(a, toB);
  await openChat(b, toA);

  // Markdown-lite: bold and a link, rendered as markup on the other side; the link opens apart.
  await send(a, toB, '**Ship it** today, notes at https://example.com/release-notes');
  const bOriginal = messageWith(b, toA, 'notes at');
  await bOriginal.waitFor();
  assert.equal(await bOriginal.locator('strong').innerText(), 'Ship it');
  const link = bOriginal.locator('a');
  assert.equal(await link.getAttribute('href'), 'https://example.com/release-notes');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
  await b.screenshot('5a', 'formatted-message');

  // B reacts through the full picker (its data comes from the app itself, under the CSP).
  await bOriginal.hover();
  await bOriginal.getByTestId('action-react').click();
  const picker = b.byTestId('emoji-picker-dialog');
  await picker.waitFor();
  await picker.locator('emoji-picker input[type="search"]').fill('tada');
  const tada = picker.locator('emoji-picker [role="option"]', { hasText: '🎉' }).first();
  await tada.waitFor();
  await b.screenshot('5b', 'emoji-picker');
  await assertNoAxeViolations(b, 'emoji picker');
  await tada.click();
  await picker.waitFor({ state: 'detached' });
  const bTada = bOriginal.locator('[data-testid="reaction-chip"][data-emoji="🎉"]');
  await until('B to see his 🎉 stored', async () => (await bTada.getAttribute('class'))?.includes('pending') === false);
  assert.equal(await bTada.getAttribute('aria-pressed'), 'true');

  // A sees it, with who reacted on hover, and adds hers with a click on the chip.
  const aOriginal = messageWith(a, toB, 'notes at');
  const aTada = aOriginal.locator('[data-testid="reaction-chip"][data-emoji="🎉"]');
  await aTada.waitFor();
  assert.equal(await aTada.getAttribute('aria-pressed'), 'false');
  assert.equal(await aTada.getAttribute('title'), toB);
  await aTada.click();
  await until('A’s 🎉 to count 2', async () => (await aTada.innerText()).replace(/\s+/g, '') === '🎉2');
  assert.equal(await aTada.getAttribute('aria-pressed'), 'true');
  await until('B to see 🎉 2', async () => (await bTada.innerText()).replace(/\s+/g, '') === '🎉2');
  assert.equal(await bTada.getAttribute('title'), `You, ${toA}`);
  await a.screenshot('5b', 'reactions');
  await b.screenshot('5b', 'reactions');

  // More talk pushes the original out of the newest page (10 messages).
  for (let i = 1; i <= 11; i++) await send(a, toB, `Checklist item ${i} of 11`);
  await message(b, toA, 'Checklist item 11 of 11').waitFor();

  // B replies to the original: the composer says to what, and the reply quotes it.
  await bOriginal.hover();
  await bOriginal.getByTestId('action-reply').click();
  const banner = b.chatBox(toA).getByTestId('reply-banner');
  assert.match(await banner.innerText(), /Replying to Alice Martin: Ship it today, notes at/);
  await b.screenshot('5c', 'replying');
  const reply = 'On it, the build goes out after lunch.';
  await b.chatBox(toA).getByTestId('message-input').fill(reply);
  await b.chatBox(toA).getByTestId('message-input').press('Enter');
  await banner.waitFor({ state: 'detached' });
  const aReply = message(a, toB, reply);
  await aReply.waitFor();
  assert.match(await aReply.getByTestId('reply-quote').innerText(), /^You\nShip it today, notes at/);

  // A signs out and in again (which empties what her browser kept, history included): only the
  // newest page is loaded, without the original. The quote brings it.
  await a.byTestId('logout').click();
  await a.page.waitForURL((url) => url.pathname === '/login');
  await a.byTestId('login-username').fill(alice.username);
  await a.byTestId('login-password').fill(alice.password);
  await a.byTestId('login-submit').click();
  await a.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
  await openChat(a, toB);
  await aReply.waitFor();
  assert.equal(await aOriginal.count(), 0, 'the original is not loaded after the reload');
  await aReply.getByTestId('reply-quote').focus();
  await aReply.getByTestId('reply-quote').press('Enter');
  await aOriginal.waitFor();
  await until('the original to be highlighted and focused', async () =>
    (await aOriginal.evaluate((element) => element.classList.contains('highlight') && element === document.activeElement)),
  );
  assert.ok(await aOriginal.isVisible());
  await a.screenshot('5c', 'jumped-to-original');
}

/** Step 6: A edits with Up, B deletes his own message, A deletes B’s in her group (`group`) as its admin. */
export async function editAndDelete(a: BrowserUser, b: BrowserUser, group: string): Promise<void> {
  const toB = fullName(bruno);
  const toA = fullName(alice);

  // Up in the empty composer edits A's newest message; B sees the new text, marked edited.
  await send(a, toB, 'See you at 5pm');
  await message(a, toB, 'See you at 5pm').locator('[data-testid="tick"]:not([data-state="pending"])').waitFor();
  const aInput = a.chatBox(toB).getByTestId('message-input');
  await aInput.focus();
  await aInput.press('ArrowUp');
  await a.chatBox(toB).getByTestId('editing-banner').waitFor();
  await until('the composer to hold the message to edit', async () => (await aInput.inputValue()) === 'See you at 5pm');
  await a.screenshot('6a', 'editing');
  await aInput.fill('See you at 6pm');
  await aInput.press('Enter');
  const bEdited = message(b, toA, 'See you at 6pm');
  await bEdited.getByTestId('edited').waitFor();
  assert.equal(await message(b, toA, 'See you at 5pm').count(), 0);
  await b.screenshot('6a', 'sees-edit');

  // B deletes his own message after saying yes.
  const oops = 'Sorry, wrong chat!';
  await send(b, toA, oops);
  const bOops = message(b, toA, oops);
  await bOops.locator('[data-testid="tick"]:not([data-state="pending"])').waitFor();
  await bOops.hover();
  await bOops.getByTestId('action-delete').click();
  const confirm = b.byTestId('delete-message-dialog');
  await confirm.waitFor();
  await b.screenshot('6b', 'confirm-delete');
  await assertNoAxeViolations(b, 'delete confirmation');
  await b.byTestId('delete-message-confirm').click();
  await confirm.waitFor({ state: 'detached' });
  await message(a, toB, oops).waitFor({ state: 'detached' });
  const aDeleted = a.chatBox(toB).getByTestId('message-deleted').last();
  assert.equal(await aDeleted.innerText(), 'Message deleted');

  // In the group A made, she is an admin: she deletes B's message, and B is told an admin did.
  await openChat(a, group);
  await openChat(b, group);
  const spam = 'Pizza again? Pizza again!';
  await send(b, group, spam);
  const aSpam = message(a, group, spam);
  await aSpam.waitFor();
  await aSpam.hover();
  await aSpam.getByTestId('action-delete').click();
  assert.match(await a.byTestId('delete-message-dialog').innerText(), /Bruno Costa’s message for everyone in the group/);
  await a.byTestId('delete-message-confirm').click();
  const bAdminDeleted = b.chatBox(group).getByTestId('message-deleted').filter({ hasText: 'Message deleted by an admin' });
  await bAdminDeleted.waitFor();
  assert.equal(await message(b, group, spam).count(), 0);
  await a.screenshot('6c', 'admin-deleted');
  await b.screenshot('6c', 'deleted-by-admin');
}

/** Step 7: an edit A makes while B is offline reaches B when he is back (through sync). */
export async function offlineEditReplayed(a: BrowserUser, b: BrowserUser): Promise<void> {
  const toB = fullName(bruno);
  const toA = fullName(alice);
  await openChat(a, toB);
  await openChat(b, toA);
  const before = 'The demo is on Thursday.';
  const after = 'The demo moved to **Friday**.';
  await send(a, toB, before);
  await message(b, toA, before).waitFor();

  await b.context.setOffline(true);
  await b.page.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
  await a.page.locator(`[data-testid="user-${bruno.username}"] [data-testid="presence-dot"][data-online="false"]`).waitFor();

  const aMessage = message(a, toB, before);
  await aMessage.hover();
  await aMessage.getByTestId('action-edit').click();
  await a.chatBox(toB).getByTestId('editing-banner').waitFor();
  const aInput = a.chatBox(toB).getByTestId('message-input');
  await until('the composer to hold the message to edit', async () => (await aInput.inputValue()) === before);
  await aInput.fill(after);
  await aInput.press('Enter');
  await messageWith(a, toB, 'The demo moved to').getByTestId('edited').waitFor();
  await b.screenshot('7a', 'offline');
  assert.equal(await message(b, toA, before).count(), 1, 'B, offline, still shows the old text');

  await b.context.setOffline(false);
  await b.page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
  const bEdited = messageWith(b, toA, 'The demo moved to');
  await bEdited.getByTestId('edited').waitFor();
  assert.equal(await bEdited.locator('strong').innerText(), 'Friday');
  assert.equal(await message(b, toA, before).count(), 0);
  await b.screenshot('7b', 'back-online-edit-replayed');
}

/** A finger resting on `target` for longer than a long press takes. */
async function longPress(user: BrowserUser, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  assert.ok(box, 'the element to press is on screen');
  const at = { pointerType: 'touch', isPrimary: true, clientX: box.x + box.width / 2, clientY: box.y + box.height / 2 };
  await target.dispatchEvent('pointerdown', at);
  await user.page.waitForTimeout(700);
  await target.dispatchEvent('pointerup', at);
}

/** Step 8: on a phone, a long press shows a message's actions, and on a reaction who reacted. */
export async function phoneLongPress(b: BrowserUser): Promise<void> {
  const toA = fullName(alice);
  await b.page.setViewportSize({ width: 360, height: 740 });
  const back = b.byTestId('chat-back');
  await back.first().waitFor();
  await back.first().click();
  await openChat(b, toA);
  assert.equal(await b.byTestId('chat-box').count(), 1);

  const demo = messageWith(b, toA, 'The demo moved to');
  await longPress(b, demo.locator('.bubble'));
  await demo.getByTestId('action-reply').waitFor();
  assert.ok(await demo.getByTestId('action-react').isVisible());
  await b.screenshot('8a', 'phone-long-press-actions');

  const chip = messageWith(b, toA, 'notes at').locator('[data-testid="reaction-chip"][data-emoji="🎉"]');
  await longPress(b, chip);
  const names = messageWith(b, toA, 'notes at').getByTestId('reaction-names');
  await names.waitFor();
  assert.match(await names.innerText(), new RegExp(`${toA}, You|You, ${toA}`));
  assert.equal(await chip.getAttribute('aria-pressed'), 'true', 'the long press did not toggle the reaction');
  await b.screenshot('8b', 'phone-who-reacted');
  await b.page.setViewportSize({ width: 1280, height: 800 });
}
