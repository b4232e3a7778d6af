import type { Attachment, AttachmentUrl } from '@shared';
import { aChat, aMessage } from '../../core/testing/chat-fixtures';
import { ChatBoxHarness } from './chat-box.harness.spec';

describe('MessageAttachments', () => {
  const harness = new ChatBoxHarness();
  const { me, bruno } = harness;
  const chatId = 'chat-ana-bruno';
  const chat = aChat(chatId, [me.id, bruno.id]);
  const picture = (id: string, width: number, height: number): Attachment => ({
    id,
    name: `${id}.jpg`,
    size: 2048,
    mime: 'image/jpeg',
    kind: 'image',
    width,
    height,
  });
  const pdf: Attachment = { id: 'doc', name: 'plan.pdf', size: 1536, mime: 'application/pdf', kind: 'file' };
  const history = () => [
    aMessage(chatId, 1, bruno.id, { body: '', attachments: [picture('wide', 1600, 1200), pdf] }),
    aMessage(chatId, 2, me.id, { body: 'and another', attachments: [picture('tall', 300, 600)] }),
  ];
  /** A tiny JPEG-free picture the browser can load: a 1×1 GIF. */
  const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
  const urlOf = (id: string): AttachmentUrl => ({
    id,
    original: `/files/${id}/original?u=me&exp=1&sig=o`,
    preview: PIXEL,
    thumb: PIXEL,
    expiresAt: new Date(Date.now() + 300_000).toISOString(),
  });

  function serveUrls(): void {
    harness.socket.respond('attachment:urls', (payload) => ({
      ok: true,
      data: { urls: payload.attachmentIds.map((id: string) => ({ ...urlOf(id), ...(id === 'doc' ? { preview: undefined, thumb: undefined } : {}) })) },
    }));
  }

  it('reserves each picture’s box from its size, before its URL arrives', async () => {
    await harness.render(chat, history());
    const [wide, tall] = harness.all('attachment-picture');
    expect([wide!.style.width, wide!.style.height]).toEqual(['240px', '180px']);
    expect([tall!.style.width, tall!.style.height]).toEqual(['90px', '180px']);
    expect(wide!.querySelector('img')).toBeNull();
    expect(wide!.getAttribute('aria-label')).toBe('Open picture wide.jpg');
  });

  it('asks for all the URLs at once, then shows thumbnails named by their file and the file’s card', async () => {
    serveUrls();
    await harness.render(chat, history());
    await harness.stable();
    const asks = harness.socket.emitsOf('attachment:urls');
    expect(asks.length).toBe(1);
    expect([...asks[0]!.payload.attachmentIds].sort()).toEqual(['doc', 'tall', 'wide']);
    const img = harness.all('attachment-picture')[0]!.querySelector('img')!;
    expect(img.getAttribute('src')).toBe(PIXEL);
    expect(img.alt).toBe('wide.jpg');
    expect([img.width, img.height]).toEqual([240, 180]);

    const card = harness.one('attachment-file')!;
    expect(harness.one('attachment-name', card)!.textContent!.trim()).toBe('plan.pdf');
    expect(harness.one('attachment-meta', card)!.textContent!.trim()).toBe('PDF · 1.5 KB');
    const link = harness.one('attachment-download', card) as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/files/doc/original?u=me&exp=1&sig=o');
    expect(link.getAttribute('download')).toBe('plan.pdf');
    expect(link.getAttribute('aria-label')).toBe('Download plan.pdf');
    // A message of files alone shows no empty text line.
    expect(harness.message(`${chatId}-m1`).querySelector('[data-testid="message-body"]')).toBeNull();
    expect(harness.message(`${chatId}-m1`).getAttribute('aria-label')).toContain('2 attachments');
  });

  it('says a picture is not available when the server gives no URL for it', async () => {
    harness.socket.respond('attachment:urls', () => ({ ok: true, data: { urls: [] } }));
    await harness.render(chat, history());
    await harness.stable();
    expect(harness.all('attachment-picture')[0]!.textContent!.trim()).toBe('Not available');
  });

  it('opens a picture in the lightbox; the arrows go through the chat’s pictures, Escape closes', async () => {
    serveUrls();
    await harness.render(chat, history());
    const thumb = harness.all('attachment-picture')[0]!;
    thumb.focus();
    thumb.click();
    await harness.stable();
    const dialog = harness.dialog('lightbox')!;
    expect(dialog.open).toBeTrue();
    const text = (id: string) => dialog.querySelector(`[data-testid="${id}"]`)!.textContent!.trim();
    expect(text('lightbox-title')).toBe('wide.jpg');
    expect(text('lightbox-count')).toBe('1 of 2');
    expect((dialog.querySelector('[data-testid="lightbox-image"]') as HTMLImageElement).alt).toBe('wide.jpg');
    expect((dialog.querySelector('[data-testid="lightbox-previous"]') as HTMLButtonElement).disabled).toBeTrue();

    expect(harness.key(dialog, 'ArrowRight')).toBeFalse();
    await harness.stable();
    expect(text('lightbox-title')).toBe('tall.jpg');
    expect(text('lightbox-count')).toBe('2 of 2');
    harness.key(dialog, 'ArrowRight');
    await harness.stable();
    expect(text('lightbox-count')).toBe('2 of 2');
    harness.key(dialog, 'Home');
    await harness.stable();
    expect(text('lightbox-title')).toBe('wide.jpg');

    await harness.closing(dialog, () => harness.key(dialog, 'Escape'));
    expect(harness.dialog('lightbox')).toBeNull();
    expect(document.activeElement).toBe(thumb);
  });
});
