import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ChatSummary, OpenedChat } from '../../shared/src/schemas/chats.js';
import type { HistoryPage, Message } from '../../shared/src/schemas/messages.js';
import type { SyncResult } from '../../shared/src/schemas/sync.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { assertApiError } from './support/api-error-assertions.js';
import { restAs, signUpPerson, type Person } from './support/rest-users.js';
import { authenticatedSocket, nextEvent, type ClientSocket } from './support/socket-client.js';

let t: TestServer;
const sockets: ClientSocket[] = [];
let counter = 0;

before(async () => {
  t = await startTestServer({ LOGIN_ATTEMPTS_PER_IP: 10_000, LOGIN_ATTEMPTS_PER_USERNAME: 10_000 });
});
after(async () => {
  for (const socket of sockets) socket.disconnect();
  await t.close();
});

function person(prefix: string): Promise<Person> {
  return signUpPerson(t.url, `${prefix}_${++counter}`);
}

async function openDirect(from: Person, to: Person): Promise<OpenedChat> {
  const res = await from.api.post('/api/chats/direct').send({ userId: to.user.id });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as OpenedChat;
}

async function send(from: Person, chatId: string, body: string, clientId: string = randomUUID()): Promise<Message> {
  const res = await from.api.post(`/api/chats/${chatId}/messages`).send({ clientId, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return (res.body as { message: Message }).message;
}

async function history(who: Person, chatId: string, query = ''): Promise<HistoryPage> {
  const res = await who.api.get(`/api/chats/${chatId}/messages${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as HistoryPage;
}

async function chatList(who: Person): Promise<ChatSummary[]> {
  const res = await who.api.get('/api/chats');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { chats: ChatSummary[] }).chats;
}

/** A socket signed in as the person; closed after the last test. */
async function connectSocket(who: Person): Promise<ClientSocket> {
  const socket = await authenticatedSocket(t, who.user.accessToken, { waitMs: 5000 });
  sockets.push(socket);
  return socket;
}

describe('direct chats over REST', () => {
  test('opening a direct chat twice, from either side, gives the one chat', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const first = await openDirect(ann, bob);
    assert.equal(first.chat.kind, 'direct');
    assert.equal(first.chat.name, null);
    assert.deepEqual(first.chat.members.map((m) => m.userId).sort(), [ann.user.id, bob.user.id].sort());
    assert.deepEqual(first.history, { messages: [], hasMore: false });

    const again = await openDirect(ann, bob);
    const fromBob = await openDirect(bob, ann);
    assert.equal(again.chat.id, first.chat.id);
    assert.equal(fromBob.chat.id, first.chat.id);
  });

  test('ten concurrent opens from both sides create exactly one chat per pair', async () => {
    const [ann, bob, cat] = [await person('ann'), await person('bob'), await person('cat')];
    const opens = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? ann : bob).api.post('/api/chats/direct').send({ userId: (i % 2 === 0 ? bob : ann).user.id })),
    );
    for (const res of opens) assert.equal(res.status, 200, JSON.stringify(res.body));
    const ids = new Set(opens.map((res) => (res.body as OpenedChat).chat.id));
    assert.equal(ids.size, 1);

    const withCat = await Promise.all(Array.from({ length: 10 }, () => ann.api.post('/api/chats/direct').send({ userId: cat.user.id })));
    const catIds = new Set(withCat.map((res) => (res.body as OpenedChat).chat.id));
    assert.equal(catIds.size, 1);
    assert.equal(ids.has([...catIds][0]!), false, 'another pair has another chat');

    const annDirects = (await chatList(ann)).filter((c) => c.kind === 'direct');
    assert.equal(annDirects.length, 2);
  });

  test('a chat with yourself is 400, with an unknown user 404', async () => {
    const ann = await person('ann');
    const self = await ann.api.post('/api/chats/direct').send({ userId: ann.user.id });
    assert.equal(assertApiError(self, 400, 'validation_failed').fields?.['userId'], 'is yourself');
    const nobody = await ann.api.post('/api/chats/direct').send({ userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    assertApiError(nobody, 404, 'not_found');
  });

  test('GET /api/chats/:id opens the chat with its latest page for a member', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const sent = await send(ann, chat.id, 'hello');
    const res = await bob.api.get(`/api/chats/${chat.id}`);
    assert.equal(res.status, 200);
    const opened = res.body as OpenedChat;
    assert.equal(opened.chat.id, chat.id);
    assert.deepEqual(opened.history.messages.map((m) => m.id), [sent.id]);
    assert.equal(opened.chat.lastMessage?.id, sent.id);
  });
});

describe('outsiders', () => {
  test('a third user can neither get, read, send to nor mark a direct chat: 404, and nothing is stored', async () => {
    const [ann, bob, eve] = [await person('ann'), await person('bob'), await person('eve')];
    const { chat } = await openDirect(ann, bob);
    const sent = await send(ann, chat.id, 'private');

    assertApiError(await eve.api.get(`/api/chats/${chat.id}`), 404, 'not_found');
    assertApiError(await eve.api.get(`/api/chats/${chat.id}/messages`), 404, 'not_found');
    assertApiError(await eve.api.post(`/api/chats/${chat.id}/messages`).send({ clientId: randomUUID(), body: 'sneaky' }), 404, 'not_found');
    assertApiError(await eve.api.post(`/api/chats/${chat.id}/read`).send({ upTo: sent.id }), 404, 'not_found');
    assertApiError(await eve.api.post(`/api/chats/${chat.id}/delivered`).send({ messageId: sent.id }), 404, 'not_found');
    assertApiError(await eve.api.delete(`/api/chats/${chat.id}`), 404, 'not_found');

    const page = await history(ann, chat.id);
    assert.deepEqual(page.messages.map((m) => m.body), ['private']);
    assert.equal((await chatList(eve)).length, 0);
    const sync = await eve.api.post('/api/sync').send({ chats: { [chat.id]: null } });
    assert.equal(sync.status, 200);
    assert.deepEqual((sync.body as SyncResult).chats, {});
  });

  test('the answer for an outsider is the same as for a chat that does not exist', async () => {
    const [ann, bob, eve] = [await person('ann'), await person('bob'), await person('eve')];
    const { chat } = await openDirect(ann, bob);
    const hidden = await eve.api.get(`/api/chats/${chat.id}`);
    const missing = await eve.api.get('/api/chats/01ARZ3NDEKTSV4RRFFQ69G5FAV');
    assert.equal(hidden.status, missing.status);
    assert.deepEqual(hidden.body, missing.body);
  });

  test('without a token every chat route is 401', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const anonymous = restAs(t.url, { ...ann.user, accessToken: 'not-a-token' });
    assertApiError(await anonymous.get('/api/chats'), 401, 'unauthenticated');
    assertApiError(await anonymous.post(`/api/chats/${chat.id}/messages`).send({ clientId: randomUUID(), body: 'x' }), 401, 'unauthenticated');
    assert.equal((await history(ann, chat.id)).messages.length, 0);
  });
});

describe('sending', () => {
  test('201 with the stored message; a retry with the same clientId is 200 with the same message, stored once', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const clientId = randomUUID();
    const first = await ann.api.post(`/api/chats/${chat.id}/messages`).send({ clientId, body: '  hi there  ' });
    assert.equal(first.status, 201);
    const message = (first.body as { message: Message }).message;
    assert.equal(message.body, 'hi there');
    assert.equal(message.senderId, ann.user.id);
    assert.equal(message.clientId, clientId);
    assert.equal(message.chatId, chat.id);
    assert.equal(message.kind, 'text');

    const retry = await ann.api.post(`/api/chats/${chat.id}/messages`).send({ clientId, body: '  hi there  ' });
    assert.equal(retry.status, 200);
    assert.deepEqual(retry.body, { message });
    const page = await history(bob, chat.id);
    assert.deepEqual(page.messages.map((m) => m.id), [message.id]);
  });

  test('concurrent retries of one send store one message', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const clientId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 5 }, () => ann.api.post(`/api/chats/${chat.id}/messages`).send({ clientId, body: 'once' })));
    for (const res of answers) assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body));
    assert.equal(new Set(answers.map((res) => (res.body as { message: Message }).message.id)).size, 1);
    assert.equal((await history(ann, chat.id)).messages.length, 1);
  });

  test('a clientId reused in another chat is 409 and stores nothing there', async () => {
    const [ann, bob, cat] = [await person('ann'), await person('bob'), await person('cat')];
    const withBob = (await openDirect(ann, bob)).chat;
    const withCat = (await openDirect(ann, cat)).chat;
    const clientId = randomUUID();
    await send(ann, withBob.id, 'to bob', clientId);
    const res = await ann.api.post(`/api/chats/${withCat.id}/messages`).send({ clientId, body: 'to cat' });
    assert.equal(assertApiError(res, 409, 'conflict').fields?.['clientId'], 'is already used');
    assert.equal((await history(ann, withCat.id)).messages.length, 0);
  });
});

describe('history pages', () => {
  async function chatWith(count: number): Promise<{ ann: Person; chatId: string; sent: Message[] }> {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const sent: Message[] = [];
    for (let i = 1; i <= count; i++) sent.push(await send(i % 2 ? ann : bob, chat.id, `message ${i}`));
    return { ann, chatId: chat.id, sent };
  }

  test('no messages: an empty page without more', async () => {
    const { ann, chatId } = await chatWith(0);
    assert.deepEqual(await history(ann, chatId), { messages: [], hasMore: false });
  });

  test('exactly 10 messages: one full page, oldest first, nothing more', async () => {
    const { ann, chatId, sent } = await chatWith(10);
    const page = await history(ann, chatId);
    assert.deepEqual(page.messages.map((m) => m.id), sent.map((m) => m.id));
    assert.equal(page.hasMore, false);
  });

  test('11 messages: the newest 10 with hasMore, then the first one alone', async () => {
    const { ann, chatId, sent } = await chatWith(11);
    const newest = await history(ann, chatId);
    assert.deepEqual(newest.messages.map((m) => m.body), sent.slice(1).map((m) => m.body));
    assert.equal(newest.hasMore, true);
    const older = await history(ann, chatId, `?before=${newest.messages[0]!.id}`);
    assert.deepEqual(older.messages.map((m) => m.id), [sent[0]!.id]);
    assert.equal(older.hasMore, false);
  });

  test('before the first message: empty, no more', async () => {
    const { ann, chatId, sent } = await chatWith(3);
    assert.deepEqual(await history(ann, chatId, `?before=${sent[0]!.id}`), { messages: [], hasMore: false });
  });

  test('limit pages by the given size; an empty before= is the newest page', async () => {
    const { ann, chatId, sent } = await chatWith(5);
    const two = await history(ann, chatId, '?limit=2&before=');
    assert.deepEqual(two.messages.map((m) => m.id), sent.slice(3).map((m) => m.id));
    assert.equal(two.hasMore, true);
    const next = await history(ann, chatId, `?limit=2&before=${two.messages[0]!.id}`);
    assert.deepEqual(next.messages.map((m) => m.id), sent.slice(1, 3).map((m) => m.id));
  });

  test('a cursor from another chat is 404', async () => {
    const { ann, chatId } = await chatWith(1);
    const other = await chatWith(1);
    const res = await ann.api.get(`/api/chats/${chatId}/messages?before=${other.sent[0]!.id}`);
    assertApiError(res, 404, 'not_found');
  });
});

describe('unread counts and receipts', () => {
  test('GET /api/chats counts what the other side sent until POST read moves past it', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const sent = [await send(ann, chat.id, 'one'), await send(ann, chat.id, 'two'), await send(ann, chat.id, 'three')];

    const unread = async (who: Person) => (await chatList(who)).find((c) => c.id === chat.id)?.unreadCount;
    assert.equal(await unread(bob), 3);
    assert.equal(await unread(ann), 0);

    const read = await bob.api.post(`/api/chats/${chat.id}/read`).send({ upTo: sent[1]!.id });
    assert.equal(read.status, 204);
    assert.equal(read.text, '');
    assert.equal(await unread(bob), 1);

    await send(ann, chat.id, 'four');
    assert.equal(await unread(bob), 2);

    const all = (await history(bob, chat.id)).messages;
    assert.equal((await bob.api.post(`/api/chats/${chat.id}/read`).send({ upTo: all.at(-1)!.id })).status, 204);
    assert.equal(await unread(bob), 0);

    // Reading never moves back.
    assert.equal((await bob.api.post(`/api/chats/${chat.id}/read`).send({ upTo: sent[0]!.id })).status, 204);
    assert.equal(await unread(bob), 0);
  });

  test('POST delivered moves the delivered position the sender sees', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const sent = await send(ann, chat.id, 'tick tick');
    const res = await bob.api.post(`/api/chats/${chat.id}/delivered`).send({ messageId: sent.id });
    assert.equal(res.status, 204);
    const seen = (await chatList(ann)).find((c) => c.id === chat.id)!;
    const bobAsMember = seen.members.find((m) => m.userId === bob.user.id)!;
    assert.equal(bobAsMember.deliveredSeq, sent.seq);
    assert.equal(bobAsMember.readSeq < sent.seq, true);
  });

  test('a receipt for a message of another chat is 404', async () => {
    const [ann, bob, cat] = [await person('ann'), await person('bob'), await person('cat')];
    const withBob = (await openDirect(ann, bob)).chat;
    const withCat = (await openDirect(ann, cat)).chat;
    const elsewhere = await send(ann, withCat.id, 'for cat');
    assertApiError(await bob.api.post(`/api/chats/${withBob.id}/read`).send({ upTo: elsewhere.id }), 404, 'not_found');
  });
});

describe('blocking', () => {
  test('a block stops direct messages both ways with 403 blocked and stores nothing; unblocking lets them through', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    await send(ann, chat.id, 'before the block');

    assert.equal((await bob.api.post(`/api/users/${ann.user.id}/block`)).status, 204);
    assert.equal((await bob.api.post(`/api/users/${ann.user.id}/block`)).status, 204, 'blocking twice is harmless');
    const blocks = await bob.api.get('/api/users/me/blocks');
    assert.equal(blocks.status, 200);
    assert.deepEqual(blocks.body, { userIds: [ann.user.id] });
    assert.deepEqual((await ann.api.get('/api/users/me/blocks')).body, { userIds: [] }, 'the blocked side is not told');

    assertApiError(await ann.api.post(`/api/chats/${chat.id}/messages`).send({ clientId: randomUUID(), body: 'blocked?' }), 403, 'blocked');
    assertApiError(await bob.api.post(`/api/chats/${chat.id}/messages`).send({ clientId: randomUUID(), body: 'me too?' }), 403, 'blocked');
    assert.deepEqual((await history(ann, chat.id)).messages.map((m) => m.body), ['before the block']);

    assert.equal((await bob.api.delete(`/api/users/${ann.user.id}/block`)).status, 204);
    assert.deepEqual((await bob.api.get('/api/users/me/blocks')).body, { userIds: [] });
    await send(ann, chat.id, 'after the block');
    assert.deepEqual((await history(bob, chat.id)).messages.map((m) => m.body), ['before the block', 'after the block']);
  });

  test('blocking yourself is 400, an unknown user 404', async () => {
    const ann = await person('ann');
    assert.equal(assertApiError(await ann.api.post(`/api/users/${ann.user.id}/block`), 400, 'validation_failed').fields?.['userId'], 'is yourself');
    assertApiError(await ann.api.post('/api/users/01ARZ3NDEKTSV4RRFFQ69G5FAV/block'), 404, 'not_found');
    assert.deepEqual((await ann.api.get('/api/users/me/blocks')).body, { userIds: [] });
  });
});

describe('deleting a direct chat', () => {
  test('DELETE hides it from the deleter only, until a new message brings it back with its history', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const first = await send(ann, chat.id, 'first');

    const res = await ann.api.delete(`/api/chats/${chat.id}`);
    assert.equal(res.status, 204);
    assert.equal((await chatList(ann)).some((c) => c.id === chat.id), false);
    assert.equal((await chatList(bob)).some((c) => c.id === chat.id), true);

    await send(bob, chat.id, 'are you there?');
    const back = (await chatList(ann)).find((c) => c.id === chat.id);
    assert.ok(back, 'the chat is back in the list');
    assert.equal(back.unreadCount, 1);
    assert.deepEqual((await history(ann, chat.id)).messages.map((m) => m.id)[0], first.id);
  });

  test('the other side sees a new direct chat only once its first message arrives', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    assert.equal((await chatList(bob)).some((c) => c.id === chat.id), false);
    await send(ann, chat.id, 'hello bob');
    assert.equal((await chatList(bob)).find((c) => c.id === chat.id)?.unreadCount, 1);
  });
});

describe('sync', () => {
  test('POST /api/sync returns what came after the last message the client has, and the chat list', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const seen = await send(ann, chat.id, 'seen');
    const missed = [await send(ann, chat.id, 'missed 1'), await send(ann, chat.id, 'missed 2')];

    const res = await bob.api.post('/api/sync').send({ chats: { [chat.id]: seen.id } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const result = res.body as SyncResult;
    assert.deepEqual(result.chats[chat.id]?.messages.map((m) => m.id), missed.map((m) => m.id));
    assert.equal(result.chats[chat.id]?.hasMore, false);
    assert.deepEqual(result.summaries.map((c) => c.id), [chat.id]);
  });
});

describe('REST and sockets meet in the same use cases', () => {
  test('a message sent over REST reaches the members’ connected sockets at once, the sender’s tabs too', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    await send(ann, chat.id, 'opening line');
    const bobSocket = await connectSocket(bob);
    const annSocket = await connectSocket(ann);

    const clientId = randomUUID();
    const atBob = nextEvent(bobSocket, 'chat:message', (m) => m.clientId === clientId);
    const atAnn = nextEvent(annSocket, 'chat:message', (m) => m.clientId === clientId);
    const sent = await send(ann, chat.id, 'live over REST', clientId);
    assert.deepEqual(await atBob, sent);
    assert.deepEqual(await atAnn, sent);
  });

  test('a read over REST reaches the sender as chat:receipt', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const sent = await send(ann, chat.id, 'read me');
    const annSocket = await connectSocket(ann);
    const receipt = nextEvent(annSocket, 'chat:receipt', (r) => r.messageId === sent.id && r.status === 'read');
    assert.equal((await bob.api.post(`/api/chats/${chat.id}/read`).send({ upTo: sent.id })).status, 204);
    const heard = await receipt;
    const bobAsMember = (await bob.api.get(`/api/chats/${chat.id}`)).body.chat.members.find((m: { userId: string }) => m.userId === bob.user.id);
    assert.equal(typeof bobAsMember.readAt, 'string', 'the member record keeps when bob read');
    assert.deepEqual(heard, { chatId: chat.id, messageId: sent.id, seq: sent.seq, userId: bob.user.id, status: 'read', readAt: bobAsMember.readAt });
  });

  test('a message sent over a socket shows up in REST history', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const { chat } = await openDirect(ann, bob);
    const annSocket = await connectSocket(ann);
    const ack = await annSocket.timeout(5000).emitWithAck('chat:message', { chatId: chat.id, clientId: randomUUID(), body: 'via socket' });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    assert.deepEqual((await history(bob, chat.id)).messages.map((m) => m.body), ['via socket']);
  });
});
