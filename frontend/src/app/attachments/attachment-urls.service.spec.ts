import type { AttachmentUrl } from '@shared';
import { aSelfUser } from '../core/testing/chat-fixtures';
import { signIn, useFakeServer } from '../core/testing/signed-in';
import { settle } from '../core/testing/wait';
import { AttachmentUrls } from './attachment-urls.service';

describe('AttachmentUrls', () => {
  const me = aSelfUser('ana');
  const server = useFakeServer();
  const start = new Date('2026-03-02T10:00:00.000Z');
  const signed = (id: string, seconds: number): AttachmentUrl => ({
    id,
    original: `/files/${id}/original?sig=${Date.now()}`,
    expiresAt: new Date(Date.now() + seconds * 1000).toISOString(),
  });

  async function signedIn(): Promise<AttachmentUrls> {
    jasmine.clock().install();
    jasmine.clock().mockDate(start);
    const session = await signIn(server.socket, me);
    server.socket.respond('attachment:urls', (payload) => ({
      ok: true,
      data: { urls: payload.attachmentIds.filter((id: string) => id !== 'secret').map((id: string) => signed(id, 20)) },
    }));
    return session.get(AttachmentUrls);
  }

  it('asks once for what is wanted in one turn, and keeps the answer', async () => {
    const urls = await signedIn();
    urls.ensure(['a', 'b']);
    urls.ensure(['b', 'c']);
    await settle();
    const asks = server.socket.emitsOf('attachment:urls');
    expect(asks.map((ask) => ask.payload.attachmentIds)).toEqual([['a', 'b', 'c']]);
    expect(urls.urlOf('a')()?.original).toMatch(/^\/files\/a\/original/);

    urls.ensure(['a', 'c']);
    await settle();
    expect(server.socket.emitsOf('attachment:urls').length).toBe(1);
  });

  it('asks again when a URL nears its expiry, keeping the old one on screen meanwhile', async () => {
    const urls = await signedIn();
    urls.ensure(['a']);
    await settle();
    const first = urls.urlOf('a')()!.original;

    jasmine.clock().tick(14_000);
    urls.ensure(['a']);
    await settle();
    expect(server.socket.emitsOf('attachment:urls').length).toBe(1);

    jasmine.clock().tick(1_000);
    expect(urls.urlOf('a')()!.original).toBe(first);
    urls.ensure(['a']);
    await settle();
    expect(server.socket.emitsOf('attachment:urls').length).toBe(2);
    expect(urls.urlOf('a')()!.original).not.toBe(first);
  });

  it('marks what the server gives no URL for as unavailable, and does not ask for it again', async () => {
    const urls = await signedIn();
    urls.ensure(['secret']);
    await settle();
    expect(urls.unavailable('secret')()).toBeTrue();
    expect(urls.urlOf('secret')()).toBeNull();
    urls.ensure(['secret']);
    await settle();
    expect(server.socket.emitsOf('attachment:urls').length).toBe(1);
  });

  it('asks nothing while offline', async () => {
    const urls = await signedIn();
    server.socket.serverDrop();
    urls.ensure(['a']);
    await settle();
    expect(server.socket.emitsOf('attachment:urls')).toEqual([]);
  });
});
