import { aChat } from '../core/testing/chat-fixtures';
import { ChatBoxHarness } from './chat-box/chat-box.harness.spec';

describe('BlockUserDialog, from a chat box’s menu', () => {
  const harness = new ChatBoxHarness();
  const { me, bruno } = harness;
  const chatId = 'chat-ana-bruno';

  beforeEach(async () => {
    await harness.render(aChat(chatId, [me.id, bruno.id]), []);
    harness.socket.respond('user:block', () => ({ ok: true, data: null }));
    harness.one('chat-menu-button')!.click();
    await harness.stable();
    harness.one('block-user')!.click();
    await harness.stable();
  });

  it('asks first, in a modal dialog named after the person, with Cancel focused; nothing is sent yet', () => {
    const dialog = harness.dialog('block-user-dialog')!;
    expect(dialog.open).toBeTrue();
    expect(dialog.getAttribute('aria-labelledby')).toBe('block-user-title');
    expect(document.getElementById('block-user-title')!.textContent!.trim()).toBe('Block Bruno Tester?');
    expect(document.getElementById('block-user-text')!.textContent).toContain('not told');
    expect(document.activeElement).toBe(harness.one('block-user-cancel', dialog));
    expect(harness.socket.emitsOf('user:block')).toEqual([]);
  });

  it('Cancel blocks nobody and returns to the menu button', async () => {
    const dialog = harness.dialog('block-user-dialog')!;
    await harness.closing(dialog, () => harness.one('block-user-cancel', dialog)!.click());
    expect(harness.dialog('block-user-dialog')).toBeNull();
    expect(harness.socket.emitsOf('user:block')).toEqual([]);
    expect(harness.one('blocked-notice')).toBeNull();
    expect(document.activeElement).toBe(harness.one('chat-menu-button'));
  });

  it('Escape closes it like Cancel', async () => {
    const dialog = harness.dialog('block-user-dialog')!;
    await harness.closing(dialog, () => harness.key(document.activeElement!, 'Escape'));
    expect(harness.socket.emitsOf('user:block')).toEqual([]);
  });

  it('Block blocks: the request goes out and the box says so', async () => {
    const dialog = harness.dialog('block-user-dialog')!;
    await harness.closing(dialog, () => harness.one('block-user-confirm', dialog)!.click());
    await harness.stable();
    expect(harness.socket.emitsOf('user:block').map((e) => e.payload)).toEqual([{ userId: bruno.id }]);
    expect(harness.one('blocked-notice')).not.toBeNull();
  });

  it('unblocking from the menu does not ask', async () => {
    const dialog = harness.dialog('block-user-dialog')!;
    await harness.closing(dialog, () => harness.one('block-user-confirm', dialog)!.click());
    await harness.stable();
    harness.socket.respond('user:unblock', () => ({ ok: true, data: null }));
    harness.one('chat-menu-button')!.click();
    await harness.stable();
    harness.one('unblock-user')!.click();
    await harness.stable();
    expect(harness.dialog('block-user-dialog')).toBeNull();
    expect(harness.socket.emitsOf('user:unblock').map((e) => e.payload)).toEqual([{ userId: bruno.id }]);
  });
});
