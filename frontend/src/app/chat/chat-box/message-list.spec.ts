import { TestBed } from '@angular/core/testing';
import type { ReplyQuote } from '@shared';
import { aChat, aMessage } from '../../core/testing/chat-fixtures';
import { ToastService } from '../../core/toast.service';
import { MessageActions } from '../../timeline/message-actions.service';
import { ChatBoxHarness } from './chat-box.harness.spec';

describe('MessageList', () => {
  const harness = new ChatBoxHarness();
  const { me, bruno } = harness;
  const chatId = 'chat-ana-bruno';
  const chat = aChat(chatId, [me.id, bruno.id]);
  const quoteOf = (seq: number, overrides: Partial<ReplyQuote> = {}): ReplyQuote => ({
    messageId: `${chatId}-m${seq}`,
    senderId: bruno.id,
    preview: `message ${seq}`,
    deleted: false,
    ...overrides,
  });

  describe('a reply’s quote', () => {
    it('shows who wrote the original and how it began, or that it was deleted', async () => {
      await harness.render(chat, [
        aMessage(chatId, 1, bruno.id),
        aMessage(chatId, 2, me.id, { replyTo: quoteOf(1) }),
        aMessage(chatId, 3, me.id, { replyTo: quoteOf(1, { preview: '', deleted: true }) }),
      ]);
      const [quote, gone] = harness.all('reply-quote');
      expect(quote!.querySelector('.who')!.textContent).toBe('Bruno Tester');
      expect(harness.one('reply-quote-preview', quote)!.textContent).toBe('message 1');
      expect(quote!.getAttribute('aria-label')).toBe('Go to the message from Bruno Tester: message 1');
      expect(gone!.textContent!.trim()).toBe('Message deleted');
    });

    it('jumps to an original that is loaded: focuses and highlights it, loading nothing', async () => {
      await harness.render(chat, [aMessage(chatId, 1, bruno.id), aMessage(chatId, 2, me.id, { replyTo: quoteOf(1) })]);
      const loadAround = spyOn(TestBed.inject(MessageActions), 'loadAround').and.callThrough();
      harness.one('reply-quote')!.click();
      await harness.stable();
      const original = harness.message(`${chatId}-m1`);
      expect(loadAround).not.toHaveBeenCalled();
      expect(document.activeElement).toBe(original);
      expect(original.classList).toContain('highlight');
    });

    it('loads the history around an original that is not loaded, then goes to it', async () => {
      await harness.render(chat, [aMessage(chatId, 50, bruno.id), aMessage(chatId, 51, me.id, { replyTo: quoteOf(10) })], true);
      harness.socket.respond('chat:history', () => ({
        ok: true,
        data: { messages: [9, 10, 11].map((seq) => aMessage(chatId, seq, bruno.id)), hasMore: true, hasNewer: true },
      }));
      const loadAround = spyOn(TestBed.inject(MessageActions), 'loadAround').and.callThrough();

      harness.one('reply-quote')!.click();
      await harness.stable();
      expect(loadAround).toHaveBeenCalledOnceWith(chatId, `${chatId}-m10`);
      expect(harness.socket.emitsOf('chat:history').map((e) => e.payload)).toEqual([
        jasmine.objectContaining({ chatId, around: `${chatId}-m10` }),
      ]);
      const original = harness.message(`${chatId}-m10`);
      expect(document.activeElement).toBe(original);
      expect(original.classList).toContain('highlight');
    });

    it('says so when the original cannot be loaded', async () => {
      await harness.render(chat, [aMessage(chatId, 51, me.id, { replyTo: quoteOf(10) })], true);
      harness.socket.respond('chat:history', () => ({ ok: false, error: { code: 'not_found', message: 'Message not found' } }));
      harness.one('reply-quote')!.click();
      await harness.stable();
      expect(TestBed.inject(ToastService).toasts().map((t) => t.text)).toEqual(['Message not found']);
    });
  });
});
