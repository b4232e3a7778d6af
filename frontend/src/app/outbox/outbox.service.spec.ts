import { HttpEventType } from '@angular/common/http';
import type { Attachment } from '@shared';
import { AttachmentUploads } from '../attachments/attachment-uploads.service';
import type { PickedFile } from '../attachments/state/picked-files';
import { TestBed } from '@angular/core/testing';
import { CHAT_TIMING } from '../connection/chat-timing';
import { aChat, aMessage, aSelfUser, aUser, tokens } from '../core/testing/chat-fixtures';
import { openChat, signIn, useFakeServer } from '../core/testing/signed-in';
import { nextRequest, settle } from '../core/testing/wait';
import { SessionStore } from '../session/session-store';
import { Outbox } from './outbox.service';

describe('Outbox', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const chat = () => aChat(chatId, [me.id, bruno.id]);
  const server = useFakeServer();

  /** Signed in with the empty chat with Bruno open. */
  async function signedInWithChat(): Promise<{ outbox: Outbox; store: SessionStore }> {
    const session = await signIn(server.socket, me, { users: [bruno], chats: [chat()] });
    await openChat(session, server.socket, chat(), []);
    return { outbox: session.get(Outbox), store: session.get(SessionStore) };
  }

  it('keeps messages typed while offline as pending and sends them on reconnect with the same clientId', async () => {
    const { socket, http } = server;
    const { outbox, store } = await signedInWithChat();
    socket.serverDrop();

    outbox.send(chatId, '  see you at eight  ');
    const pending = store.timelines()[chatId]!.list;
    expect(pending.length).toBe(1);
    expect(pending[0]!.local).toBe('pending');
    expect(pending[0]!.body).toBe('see you at eight');
    expect(store.receiptsOf(pending[0]!).state).toBe('pending');
    const clientId = pending[0]!.clientId!;
    expect(clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(socket.emitsOf('chat:message')).toEqual([]);

    socket.respond('chat:message', (payload) => ({
      ok: true,
      data: { message: aMessage(chatId, 7, me.id, { clientId: payload.clientId, body: payload.body }) },
    }));
    socket.serverConnect();
    (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 2));
    await settle();
    socket.serverEmit('authenticated', me);
    await settle();

    const sends = socket.emitsOf('chat:message');
    expect(sends.length).toBe(1);
    expect(sends[0]!.payload).toEqual({ chatId, clientId, body: 'see you at eight' });
    const list = store.timelines()[chatId]!.list;
    expect(list.length).toBe(1);
    expect(list[0]!.local).toBeUndefined();
    expect(list[0]!.seq).toBe(7);
    expect(store.receiptsOf(list[0]!).state).toBe('sent');
  });

  it('retries a send whose ack timed out with the same clientId', async () => {
    const { socket } = server;
    jasmine.clock().install();
    const { outbox, store } = await signedInWithChat();

    outbox.send(chatId, 'hello?');
    await settle();
    expect(socket.emitsOf('chat:message').length).toBe(1);

    jasmine.clock().tick(CHAT_TIMING.ackTimeoutMs - 1);
    await settle();
    expect(socket.emitsOf('chat:message').length).toBe(1);

    jasmine.clock().tick(1);
    await settle();
    const sends = socket.emitsOf('chat:message');
    expect(sends.length).toBe(2);
    expect(sends[1]!.payload.clientId).toBe(sends[0]!.payload.clientId);

    // The late ack of the first attempt and the second ack describe the same stored message.
    const stored = aMessage(chatId, 3, me.id, { clientId: sends[0]!.payload.clientId, body: 'hello?' });
    sends[0]!.ack!({ ok: true, data: { message: stored } });
    sends[1]!.ack!({ ok: true, data: { message: stored } });
    await settle();
    expect(store.timelines()[chatId]!.list.map((m) => m.id)).toEqual([stored.id]);
  });

  it('marks a message the server refuses as failed instead of retrying it', async () => {
    const { socket } = server;
    const { outbox, store } = await signedInWithChat();
    socket.respond('chat:message', () => ({ ok: false, error: { code: 'blocked', message: 'You cannot message this user.' } }));
    outbox.send(chatId, 'hi');
    await settle();
    const [message] = store.timelines()[chatId]!.list;
    expect(message!.local).toBe('failed');
    expect(message!.error).toBe('You cannot message this user.');
    expect(socket.emitsOf('chat:message').length).toBe(1);
  });

  describe('with files', () => {
    const picked = (key: string, name: string, mime: string, text = 'bytes'): PickedFile => ({
      key,
      file: new Blob([text], { type: mime }),
      name,
      size: text.length,
      mime,
    });
    const stored = (id: string, name: string, kind: 'image' | 'file'): Attachment => ({
      id,
      name,
      size: 5,
      mime: kind === 'image' ? 'image/png' : 'application/pdf',
      kind,
      ...(kind === 'image' ? { width: 640, height: 480 } : {}),
    });

    it('uploads the files with progress, then sends the message naming the stored attachments', async () => {
      const { socket, http } = server;
      const { outbox, store } = await signedInWithChat();
      const uploads = TestBed.inject(AttachmentUploads);
      socket.respond('chat:message', (payload) => ({
        ok: true,
        data: {
          message: aMessage(chatId, 4, me.id, {
            clientId: payload.clientId,
            body: payload.body,
            attachments: [stored('att-1', 'cat.png', 'image'), stored('att-2', 'plan.pdf', 'file')],
          }),
        },
      }));

      outbox.send(chatId, '  our trip  ', undefined, [picked('f1', 'cat.png', 'image/png'), picked('f2', 'plan.pdf', 'application/pdf')]);
      const pending = store.timelines()[chatId]!.list.at(-1)!;
      expect(pending.local).toBe('pending');
      expect(pending.body).toBe('our trip');
      expect(pending.uploads!.map((u) => [u.name, u.kind, u.done])).toEqual([
        ['cat.png', 'image', false],
        ['plan.pdf', 'file', false],
      ]);

      const requests = http.match('/api/uploads');
      expect(requests.length).toBe(2);
      expect(requests[0]!.request.method).toBe('POST');
      const form = requests[0]!.request.body as FormData;
      expect((form.get('file') as File).name).toBe('cat.png');
      expect(requests[0]!.request.headers.get('Authorization')).toBe('Bearer access-1');

      requests[0]!.event({ type: HttpEventType.UploadProgress, loaded: 2, total: 4 });
      expect(uploads.inFlight()['f1']).toEqual({ loaded: 2, total: 4 });
      requests[0]!.flush({ attachment: stored('att-1', 'cat.png', 'image') }, { status: 201, statusText: 'Created' });
      await settle();
      expect(store.timelines()[chatId]!.list.at(-1)!.uploads!.map((u) => u.done)).toEqual([true, false]);
      expect(socket.emitsOf('chat:message')).toEqual([]);

      requests[1]!.flush({ attachment: stored('att-2', 'plan.pdf', 'file') }, { status: 201, statusText: 'Created' });
      await settle();
      const sends = socket.emitsOf('chat:message');
      expect(sends.length).toBe(1);
      expect(sends[0]!.payload).toEqual({ chatId, clientId: pending.clientId, body: 'our trip', attachmentIds: ['att-1', 'att-2'] });
      const sent = store.timelines()[chatId]!.list.at(-1)!;
      expect(sent.local).toBeUndefined();
      expect(sent.attachments.map((a) => a.id)).toEqual(['att-1', 'att-2']);
      expect(uploads.inFlight()).toEqual({});
    });

    it('sends files without a caption', async () => {
      const { socket, http } = server;
      const { outbox } = await signedInWithChat();
      outbox.send(chatId, '', undefined, [picked('f1', 'cat.png', 'image/png')]);
      (await nextRequest(http, '/api/uploads')).flush({ attachment: stored('att-1', 'cat.png', 'image') }, { status: 201, statusText: 'Created' });
      await settle();
      expect(socket.emitsOf('chat:message')[0]!.payload).toEqual(jasmine.objectContaining({ body: '', attachmentIds: ['att-1'] }));
    });

    it('marks the message as not sent, in plain words, when the server refuses a file for good', async () => {
      const { socket, http } = server;
      const { outbox, store } = await signedInWithChat();
      outbox.send(chatId, 'look', undefined, [picked('f1', 'film.mov', 'video/quicktime')]);
      (await nextRequest(http, '/api/uploads')).flush(
        { error: { code: 'payload_too_large', message: 'A file may be at most 26214400 bytes' } },
        { status: 413, statusText: 'Payload Too Large' },
      );
      await settle();
      const failed = store.timelines()[chatId]!.list.at(-1)!;
      expect(failed.local).toBe('failed');
      expect(failed.error).toBe('“film.mov” is too big to send: files can be at most 25 MB.');
      expect(socket.emitsOf('chat:message')).toEqual([]);
    });

    it('cancels one upload and sends the rest; a message left with nothing goes altogether', async () => {
      const { socket, http } = server;
      const { outbox, store } = await signedInWithChat();
      outbox.send(chatId, '', undefined, [picked('f1', 'a.png', 'image/png'), picked('f2', 'b.png', 'image/png')]);
      const [first, second] = http.match('/api/uploads');
      const clientId = store.timelines()[chatId]!.list.at(-1)!.clientId!;

      outbox.cancelFile(chatId, clientId, 'f1');
      expect(first!.cancelled).toBeTrue();
      expect(store.timelines()[chatId]!.list.at(-1)!.uploads!.map((u) => u.name)).toEqual(['b.png']);
      second!.flush({ attachment: stored('att-2', 'b.png', 'image') }, { status: 201, statusText: 'Created' });
      await settle();
      expect(socket.emitsOf('chat:message')[0]!.payload.attachmentIds).toEqual(['att-2']);

      socket.serverDrop();
      outbox.send(chatId, '', undefined, [picked('f3', 'c.png', 'image/png')]);
      const lone = store.timelines()[chatId]!.list.at(-1)!;
      expect(lone.local).toBe('pending');
      outbox.cancelFile(chatId, lone.clientId!, 'f3');
      expect(store.timelines()[chatId]!.list.some((m) => m.clientId === lone.clientId)).toBeFalse();
    });

    it('keeps a file picked while offline queued, and uploads it once back online', async () => {
      const { socket, http } = server;
      const { outbox } = await signedInWithChat();
      socket.serverDrop();
      outbox.send(chatId, 'from the train', undefined, [picked('f1', 'view.png', 'image/png')]);
      await settle();
      expect(http.match('/api/uploads')).toEqual([]);

      socket.respond('chat:message', (payload) => ({ ok: true, data: { message: aMessage(chatId, 9, me.id, { clientId: payload.clientId }) } }));
      socket.serverConnect();
      (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 2));
      await settle();
      socket.serverEmit('authenticated', me);
      (await nextRequest(http, '/api/uploads')).flush({ attachment: stored('att-9', 'view.png', 'image') }, { status: 201, statusText: 'Created' });
      await settle();
      expect(socket.emitsOf('chat:message')[0]!.payload).toEqual(jasmine.objectContaining({ body: 'from the train', attachmentIds: ['att-9'] }));
    });
  });
});
