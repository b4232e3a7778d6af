import type { Message } from '@shared';
import { aChat, aMessage } from '../../core/testing/chat-fixtures';
import { ChatBoxHarness } from './chat-box.harness.spec';

describe('Composer', () => {
  const harness = new ChatBoxHarness();
  const { me, bruno } = harness;
  const chatId = 'chat-ana-bruno';
  const chat = aChat(chatId, [me.id, bruno.id]);
  const input = () => harness.one('message-input') as HTMLTextAreaElement;
  const stored = (message: Message) => () => ({ ok: true as const, data: { message } });

  describe('replying', () => {
    beforeEach(async () => {
      await harness.render(chat, [aMessage(chatId, 1, bruno.id, { body: 'Dinner at **eight**?' })]);
      harness.one('action-reply', harness.message(`${chatId}-m1`))!.click();
      await harness.stable();
    });

    it('says what the reply answers and sends it as a reply', async () => {
      expect(harness.one('reply-banner')!.querySelector('.intent-text')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('Replying to Bruno Tester: Dinner at eight?');
      expect(document.activeElement).toBe(input());

      harness.type('Sounds good');
      harness.key(input(), 'Enter');
      await harness.stable();
      expect(harness.socket.emitsOf('chat:message').map((e) => e.payload)).toEqual([
        jasmine.objectContaining({ chatId, body: 'Sounds good', replyTo: `${chatId}-m1` }),
      ]);
      expect(harness.one('reply-banner')).toBeNull();
    });

    it('cancels with Escape, or with its button', async () => {
      harness.key(input(), 'Escape');
      await harness.stable();
      expect(harness.one('reply-banner')).toBeNull();

      harness.one('action-reply', harness.message(`${chatId}-m1`))!.click();
      await harness.stable();
      harness.one('cancel-reply')!.click();
      await harness.stable();
      expect(harness.one('reply-banner')).toBeNull();
      harness.type('just a message');
      harness.key(input(), 'Enter');
      await harness.stable();
      expect(harness.socket.emitsOf('chat:message')[0]!.payload).not.toEqual(jasmine.objectContaining({ replyTo: jasmine.anything() }));
    });
  });

  describe('editing', () => {
    const history = [aMessage(chatId, 1, me.id, { body: 'first' }), aMessage(chatId, 2, me.id, { body: 'teh newest' }), aMessage(chatId, 3, bruno.id)];

    it('edits our newest message with Up in an empty field, and saves it with Enter', async () => {
      await harness.render(chat, history);
      harness.socket.respond('message:edit', stored(aMessage(chatId, 2, me.id, { body: 'the newest', editedAt: new Date().toISOString(), changeSeq: 1 })));
      expect(harness.key(input(), 'ArrowUp')).toBeFalse();
      await harness.stable();
      expect(harness.one('editing-banner')).not.toBeNull();
      expect(input().value).toBe('teh newest');

      harness.type('the newest');
      harness.key(input(), 'Enter');
      await harness.stable();
      expect(harness.socket.emitsOf('message:edit').map((e) => e.payload)).toEqual([{ chatId, messageId: `${chatId}-m2`, body: 'the newest' }]);
      expect(harness.socket.emitsOf('chat:message')).toEqual([]);
      expect(harness.one('editing-banner')).toBeNull();
      expect(input().value).toBe('');
      const edited = harness.message(`${chatId}-m2`);
      expect(harness.one('message-body', edited)!.textContent).toBe('the newest');
      expect(harness.one('edited', edited)).not.toBeNull();
    });

    it('leaves Up alone while something is written', async () => {
      await harness.render(chat, history);
      harness.type('draft');
      expect(harness.key(input(), 'ArrowUp')).toBeTrue();
      await harness.stable();
      expect(harness.one('editing-banner')).toBeNull();
    });

    it('cancels with Escape and gives back the draft written before', async () => {
      await harness.render(chat, history);
      harness.type('half a thought');
      harness.one('action-edit', harness.message(`${chatId}-m1`))!.click();
      await harness.stable();
      expect(input().value).toBe('first');

      harness.key(input(), 'Escape');
      await harness.stable();
      expect(harness.one('editing-banner')).toBeNull();
      expect(input().value).toBe('half a thought');
      expect(harness.socket.emitsOf('message:edit')).toEqual([]);
    });
  });

  it('puts an emoji from the picker where the caret was, and writing goes on after it', async () => {
    await harness.render(chat, []);
    const field = harness.type('Hi there');
    field.setSelectionRange(2, 2);
    harness.one('emoji-button')!.click();
    await harness.stable();
    const dialog = harness.dialog('emoji-picker-dialog')!;
    expect(dialog.getAttribute('aria-label')).toBe('Insert an emoji');
    expect(harness.all('quick-reaction', dialog)).toEqual([]);

    // The full picker loads on first use, from the app's own emoji data.
    let picker: Element | null = null;
    for (let i = 0; i < 100 && !picker; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      picker = dialog.querySelector('emoji-picker');
    }
    expect(picker?.getAttribute('data-source') ?? (picker as { dataSource?: string } | null)?.dataSource).toMatch(/\/assets\/emoji\/data\.json$/);
    await harness.closing(dialog, () => picker!.dispatchEvent(new CustomEvent('emoji-click', { detail: { unicode: '🎉' } })));
    expect(input().value).toBe('Hi🎉 there');
    expect(document.activeElement).toBe(input());
    expect(input().selectionStart).toBe(2 + '🎉'.length);
  });
  describe('near and over the length limit', () => {
    const counter = () => harness.one('message-counter');
    const send = () => harness.one('send-button') as HTMLButtonElement;

    it('shows no counter well under the limit, and one from 3,500 characters', async () => {
      await harness.render(chat, []);
      harness.type('x'.repeat(3499));
      await harness.stable();
      expect(counter()).toBeNull();

      harness.type('x'.repeat(3612));
      await harness.stable();
      expect(counter()!.textContent!.trim()).toBe('3,612 / 4,000');
      expect(harness.one('message-length')!.classList).not.toContain('over');
      expect(input().getAttribute('aria-invalid')).toBeNull();
      expect(send().disabled).toBeFalse();
    });

    it('keeps a long paste whole, says it is over the limit and refuses to send it until it fits', async () => {
      await harness.render(chat, []);
      const pasted = 'y'.repeat(5003);
      harness.type(pasted);
      await harness.stable();
      expect(input().value).toBe(pasted);
      expect(input().hasAttribute('maxlength')).toBeFalse();
      expect(counter()!.textContent!.trim()).toBe('5,003 / 4,000');
      expect(harness.one('message-length')!.classList).toContain('over');
      expect(input().getAttribute('aria-invalid')).toBe('true');
      expect(input().getAttribute('aria-describedby')).toBe(harness.one('message-length')!.id);
      expect(harness.one('message-too-long')!.textContent!.trim()).toBe('Too long: remove 1,003 characters to send.');
      expect(send().disabled).toBeTrue();

      harness.key(input(), 'Enter');
      await harness.stable();
      expect(harness.socket.emitsOf('chat:message')).toEqual([]);
      expect(input().value).toBe(pasted);

      harness.type('y'.repeat(4000));
      await harness.stable();
      expect(input().getAttribute('aria-invalid')).toBeNull();
      expect(harness.one('message-too-long')).toBeNull();
      harness.key(input(), 'Enter');
      await harness.stable();
      expect(harness.socket.emitsOf('chat:message').map((e) => e.payload.body.length)).toEqual([4000]);
    });
  });
});
