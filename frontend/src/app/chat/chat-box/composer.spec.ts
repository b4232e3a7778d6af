import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
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

  describe('files', () => {
    const pick = (files: File[]) => {
      const chooser = harness.one('attach-input') as HTMLInputElement;
      const transfer = new DataTransfer();
      for (const file of files) transfer.items.add(file);
      chooser.files = transfer.files;
      chooser.dispatchEvent(new Event('change'));
    };
    const png = (name: string) => new File(['png-bytes'], name, { type: 'image/png' });
    const trayNames = () => harness.all('attach-name').map((el) => el.textContent!.trim());

    beforeEach(() => harness.render(chat, []));

    it('takes files from the attach button and sends them with the text as caption', async () => {
      pick([png('cat.png'), new File(['%PDF-1.4'], 'plan.pdf', { type: 'application/pdf' })]);
      await harness.stable();
      expect(trayNames()).toEqual(['cat.png', 'plan.pdf']);
      expect(input().placeholder).toBe('Add a caption…');
      expect((harness.one('send-button') as HTMLButtonElement).disabled).toBeFalse();

      harness.type('our cat');
      harness.key(input(), 'Enter');
      await harness.stable();
      expect(harness.one('attach-tray')).toBeNull();
      const uploads = harness.all('upload');
      expect(uploads.map((el) => el.dataset['name'])).toEqual(['cat.png', 'plan.pdf']);
      expect(harness.all('upload-progress').length).toBe(2);
      expect(harness.element.textContent).toContain('our cat');
      // The uploads went out; the message waits for them.
      expect(TestBed.inject(HttpTestingController).match('/api/uploads').length).toBe(2);
      expect(harness.socket.emitsOf('chat:message')).toEqual([]);
    });

    it('sends files alone, and takes one off before sending', async () => {
      pick([png('a.png'), png('b.png')]);
      await harness.stable();
      harness.all('attach-remove')[0]!.click();
      await harness.stable();
      expect(trayNames()).toEqual(['b.png']);
      (harness.one('send-button') as HTMLButtonElement).click();
      await harness.stable();
      expect(harness.all('upload').map((el) => el.dataset['name'])).toEqual(['b.png']);
    });

    it('takes a pasted picture, named by the time, and leaves pasted text alone', async () => {
      const pasted = new DataTransfer();
      pasted.items.add(png('image.png'));
      const event = new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true });
      input().dispatchEvent(event);
      await harness.stable();
      expect(event.defaultPrevented).toBeTrue();
      expect(trayNames()[0]).toMatch(/^Pasted image \d{4}-\d{2}-\d{2} \d{2}\.\d{2}\.\d{2}\.png$/);

      const text = new DataTransfer();
      text.setData('text/plain', 'hello');
      const textPaste = new ClipboardEvent('paste', { clipboardData: text, bubbles: true, cancelable: true });
      input().dispatchEvent(textPaste);
      expect(textPaste.defaultPrevented).toBeFalse();
    });

    it('says why a file was left out', async () => {
      pick([new File([], 'empty.txt', { type: 'text/plain' })]);
      await harness.stable();
      expect(harness.one('attach-problems')!.textContent!.trim()).toBe('“empty.txt” is empty.');
      expect(harness.one('attach-problems')!.getAttribute('role')).toBe('alert');
      expect(harness.one('attach-tray')).toBeNull();
    });

    it('shows a drop zone while files are dragged over the box, and takes the dropped files', async () => {
      const transfer = new DataTransfer();
      transfer.items.add(png('dropped.png'));
      const drag = (type: string, target: Element = harness.one('message-list')!) => {
        const event = new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true });
        target.dispatchEvent(event);
        return event;
      };
      expect(drag('dragenter').defaultPrevented).toBeTrue();
      expect(drag('dragover').defaultPrevented).toBeTrue();
      await harness.stable();
      expect(harness.one('drop-zone')!.textContent).toContain('Drop files to send to Bruno Tester');

      drag('drop');
      await harness.stable();
      expect(harness.one('drop-zone')).toBeNull();
      expect(trayNames()).toEqual(['dropped.png']);
      expect(document.activeElement).toBe(input());
    });

    it('ignores text dragged over the box', async () => {
      const text = new DataTransfer();
      text.setData('text/plain', 'words');
      const event = new DragEvent('dragover', { dataTransfer: text, bubbles: true, cancelable: true });
      harness.one('message-list')!.dispatchEvent(event);
      await harness.stable();
      expect(event.defaultPrevented).toBeFalse();
      expect(harness.one('drop-zone')).toBeNull();
    });
  });
});
