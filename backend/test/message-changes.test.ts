/**
 * Edits, deletes, reactions and replies against the real server, over both transports: every
 * test body runs once with socket requests and once with REST requests (answers checked against
 * the OpenAPI document). Live events are heard on the users' sockets either way.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ulid } from 'ulid';
import type { MessageChange } from '../../shared/src/schemas/message-changes.js';
import type { SyncResult } from '../../shared/src/schemas/sync.js';
import { MAX_REACTIONS_PER_MESSAGE, QUOTE_PREVIEW_LENGTH, type Message } from '../../shared/src/schemas/messages.js';
import { SYNC_CHANGES_PAGE_SIZE } from '../src/messages/sync-missed.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { errorCode, okData, restClient, socketClient, type MessageClient, transportLegs } from './support/message-clients.js';
import { CheckedClient, OpenApiValidator } from './support/openapi-validator.js';
import { startUnthrottledServer } from './support/unthrottled-server.js';
import { closeAll, connectAs, nextEvent, ok, rawCall, recordEvents, type ClientSocket } from './support/socket-client.js';
import { createUser, type TestUser } from './support/stored-users.js';

const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '🔥', '👀', '✅', '🚀', '💯', '🤔', '👏', '🙌', '😍', '🥳', '😎', '🤝', '⭐', '🍕'];

/** Keeps, per message id, the state with the highest changeSeq: what a client does with `message:changed`. */
function fold(states: Map<string, Message>, message: Message): void {
  const held = states.get(message.id);
  if (!held || held.changeSeq < message.changeSeq) states.set(message.id, message);
}

/** A database of its own on MONGODB_URI's server. */
for (const { transport, mongoUri } of transportLegs('message_changes')) {
  describe(`message changes over ${transport === 'socket' ? 'sockets' : 'REST'}${mongoUri ? ', stored in MongoDB' : ''}`, () => {
    let t: TestServer;
    let api: CheckedClient;
    const sockets: ClientSocket[] = [];
    let counter = 0;
    /** The team group: ada (admin), ben, cleo. */
    let team: string;
    let ada: MessageClient, ben: MessageClient, cleo: MessageClient, dan: MessageClient;

    before(async () => {
      ({ t, api } = await startUnthrottledServer(mongoUri));
      [ada, ben, cleo, dan] = await Promise.all(['ada', 'ben', 'cleo', 'dan'].map((name) => client(name)));
      team = (await ok(ada.socket, 'group:create', { name: 'team', memberIds: [ben.userId, cleo.userId] })).chat.id;
    });
    after(async () => {
      closeAll(...sockets);
      await t.close();
    });

    async function client(name: string): Promise<MessageClient> {
      const user: TestUser = await createUser(t, `${name}_${transport}_${++counter}`);
      const socket = await connectAs(t, user);
      sockets.push(socket);
      return transport === 'socket' ? socketClient(user.user.id, socket) : restClient(user.user.id, socket, api, user.token);
    }

    async function direct(from: MessageClient, to: MessageClient): Promise<string> {
      return (await ok(from.socket, 'chat:open', { userId: to.userId })).chat.id;
    }

    async function send(from: MessageClient, chatId: string, body: string, replyTo?: string): Promise<Message> {
      return okData(await from.send(chatId, body, replyTo ? { replyTo } : {}), 'send').message;
    }

    async function summary(who: MessageClient, chatId: string) {
      const chat = okData(await who.chats(), 'chat list').chats.find((c) => c.id === chatId);
      assert.ok(chat, 'the chat is in the list');
      return chat;
    }

    async function historyMessage(who: MessageClient, chatId: string, messageId: string): Promise<Message> {
      const page = okData(await who.history(chatId, { around: messageId, limit: 1 }), 'history');
      const message = page.messages.find((m) => m.id === messageId);
      assert.ok(message, 'the message is in its history');
      return message;
    }

    test('editing your own message: the answer and every other member get it, with the chat\'s next change position', async () => {
      const original = await send(ada, team, 'first draft');
      assert.deepEqual([original.editedAt, original.deletedAt, original.deletedBy, original.reactions, original.replyTo, original.changeSeq], [null, null, null, [], null, 0]);
      const position = (await summary(ada, team)).changeSeq;
      const toBen = nextEvent(ben.socket, 'message:changed', (c) => c.message.id === original.id);
      const toCleo = nextEvent(cleo.socket, 'message:changed', (c) => c.message.id === original.id);

      const { message } = okData(await ada.edit(team, original.id, '  second draft  '));
      assert.equal(message.body, 'second draft', 'the body is trimmed');
      assert.ok(message.editedAt);
      assert.equal(message.changeSeq, position + 1);
      assert.deepEqual({ ...message, body: original.body, editedAt: null, changeSeq: 0 }, original, 'nothing else changed');
      const expected: MessageChange = { chatId: team, changeSeq: position + 1, kind: 'edit', message };
      assert.deepEqual(await toBen, expected);
      assert.deepEqual(await toCleo, expected);
      assert.equal((await summary(ben, team)).changeSeq, position + 1);
      assert.deepEqual(await historyMessage(cleo, team, original.id), message);
    });

    test("someone else's message, or a notice, cannot be edited; only the sender or a group admin deletes, and nobody deletes notices", async () => {
      const adas = await send(ada, team, 'mine');
      const bens = await send(ben, team, 'bens');
      assert.equal(errorCode(await ben.edit(team, adas.id, 'hijacked')), 'forbidden');
      assert.equal(errorCode(await ben.remove(team, adas.id)), 'forbidden', 'a member cannot delete another member\'s message');
      assert.equal(errorCode(await cleo.remove(team, bens.id)), 'forbidden');
      assert.equal(errorCode(await ada.edit(team, bens.id, 'admins do not edit')), 'forbidden');
      const notice = okData(await ada.history(team, { limit: 50 })).messages.find((m) => m.kind === 'notice' && m.senderId === ada.userId);
      assert.ok(notice, 'the group opens with the creator\'s notice');
      assert.equal(errorCode(await ada.edit(team, notice.id, 'rewritten history')), 'forbidden');
      assert.equal(errorCode(await ada.remove(team, notice.id)), 'forbidden', 'not even the admin who caused it deletes a notice');
      assert.equal((await historyMessage(ben, team, adas.id)).body, 'mine');

      const dm = await direct(ada, ben);
      const inDirect = await send(ada, dm, 'direct words');
      assert.equal(errorCode(await ben.remove(dm, inDirect.id)), 'forbidden', 'a direct chat has no admins');
    });

    test('a group admin deletes anyone\'s message (deletedBy admin); the sender deletes their own (deletedBy sender); the body is gone from history and from the store', async () => {
      const bens = await send(ben, team, 'something regrettable');
      okData(await cleo.react(team, bens.id, '👍'));
      const heard = nextEvent(cleo.socket, 'message:changed', (c) => c.message.id === bens.id && c.kind === 'delete');
      const { message: tombstone } = okData(await ada.remove(team, bens.id));
      assert.equal(tombstone.deletedBy, 'admin');
      assert.ok(tombstone.deletedAt);
      assert.equal(tombstone.body, '');
      assert.deepEqual(tombstone.reactions, []);
      assert.deepEqual([tombstone.id, tombstone.seq, tombstone.senderId], [bens.id, bens.seq, ben.userId], 'the tombstone keeps its place and sender');
      assert.deepEqual((await heard).message, tombstone);
      assert.deepEqual(await historyMessage(ben, team, bens.id), tombstone);
      assert.equal((await t.server.storage.messages.byId(bens.id))?.body, '', 'erased in the store, not hidden');
      const page = okData(await cleo.history(team, { limit: 50 }));
      assert.equal(page.messages.some((m) => m.body.includes('regrettable')), false);

      const adas = await send(ada, team, 'my own mistake');
      assert.equal(okData(await ada.remove(team, adas.id)).message.deletedBy, 'sender', 'an admin deleting their own message deletes it as its sender');
      assert.equal(errorCode(await ada.edit(team, adas.id, 'too late')), 'conflict');
      const reaction = await cleo.react(team, adas.id, '👍');
      assert.equal(errorCode(reaction), 'conflict');
      assert.equal(!reaction.ok && reaction.message, 'The message was deleted');
    });

    test('outsiders get not_found, as for a chat that does not exist; a message of another chat is not_found', async () => {
      const target = await send(ada, team, 'members only');
      const missingChat = ulid();
      for (const outcome of [
        await dan.edit(team, target.id, 'x'),
        await dan.remove(team, target.id),
        await dan.react(team, target.id, '👍'),
        await dan.history(team, { around: target.id }),
        await dan.edit(missingChat, target.id, 'x'),
        await dan.react(missingChat, target.id, '👍'),
      ]) {
        assert.equal(outcome.ok, false);
        assert.deepEqual(!outcome.ok && [outcome.code, outcome.message], ['not_found', 'Chat not found']);
      }
      const dm = await direct(ada, cleo);
      const elsewhere = await send(ada, dm, 'in another chat');
      assert.equal(errorCode(await ada.edit(team, elsewhere.id, 'x')), 'not_found');
      assert.equal(errorCode(await ada.remove(team, elsewhere.id)), 'not_found');
      assert.equal(errorCode(await ben.react(team, elsewhere.id, '👍')), 'not_found');
      assert.equal(errorCode(await ben.react(team, ulid(), '👍')), 'not_found');
      assert.equal(errorCode(await ben.history(team, { around: elsewhere.id })), 'not_found');
      assert.equal((await historyMessage(ada, dm, elsewhere.id)).body, 'in another chat');
    });

    test('a reply quotes the original as it is now: edits show through, a deletion shows as deleted; replies to other chats or unknown ids are refused', async () => {
      const longBody = `${'🙂'.repeat(100)}${'x'.repeat(100)}`;
      const original = await send(ada, team, longBody);
      const toBen = nextEvent(ben.socket, 'chat:message', (m) => m.replyTo?.messageId === original.id);
      const reply = await send(cleo, team, 'answering that', original.id);
      const quote = { messageId: original.id, senderId: ada.userId, preview: [...longBody].slice(0, QUOTE_PREVIEW_LENGTH).join(''), deleted: false };
      assert.deepEqual(reply.replyTo, quote);
      assert.equal(reply.replyTo?.preview.startsWith('🙂'.repeat(100)), true, 'characters, never half an emoji');
      assert.deepEqual(await toBen, reply);

      okData(await ada.edit(team, original.id, 'short now'));
      assert.deepEqual((await historyMessage(ben, team, reply.id)).replyTo, { ...quote, preview: 'short now' });
      okData(await ada.remove(team, original.id));
      assert.deepEqual((await historyMessage(ben, team, reply.id)).replyTo, { ...quote, preview: '', deleted: true });
      const listed = (await summary(ben, team)).lastMessage;
      assert.deepEqual(listed?.replyTo, { ...quote, preview: '', deleted: true }, 'the chat list quotes the same way');

      const dm = await direct(cleo, ada);
      const elsewhere = await send(ada, dm, 'elsewhere');
      const countBefore = okData(await cleo.history(team, { limit: 50 })).messages.length;
      for (const replyTo of [elsewhere.id, ulid()]) {
        const refused = await cleo.send(team, 'misdirected', { replyTo });
        assert.equal(errorCode(refused), 'validation_failed');
        assert.equal(!refused.ok && refused.fields?.['replyTo'], 'must be a message of this chat');
      }
      const notAnId = await cleo.send(team, 'bad id', { replyTo: 'nope' });
      assert.equal(!notAnId.ok && notAnId.fields?.['replyTo'] !== undefined, true);
      assert.equal(okData(await cleo.history(team, { limit: 50 })).messages.length, countBefore, 'nothing was stored');
      assert.equal(errorCode(await dan.send(team, 'outsider reply', { replyTo: original.id })), 'not_found');
    });

    test('reactions: grouped by emoji in order, idempotent both ways, exactly one emoji, at most the cap of distinct emoji per message', async () => {
      const target = await send(ben, team, 'react to me');
      const start = (await summary(ada, team)).changeSeq;
      okData(await ada.react(team, target.id, '👍'));
      okData(await cleo.react(team, target.id, '🎉'));
      const { message } = okData(await cleo.react(team, target.id, '👍'));
      assert.deepEqual(message.reactions, [
        { emoji: '👍', userIds: [ada.userId, cleo.userId] },
        { emoji: '🎉', userIds: [cleo.userId] },
      ]);
      assert.deepEqual(okData(await cleo.react(team, target.id, '👍')).message, message, 'already on: the same answer');
      assert.equal((await summary(ada, team)).changeSeq, start + 3, 'and no change');
      const off = okData(await ada.react(team, target.id, '👍', false)).message;
      assert.deepEqual(off.reactions, [{ emoji: '🎉', userIds: [cleo.userId] }, { emoji: '👍', userIds: [cleo.userId] }], 'emoji in order of their oldest reaction');
      assert.deepEqual(okData(await ada.react(team, target.id, '👍', false)).message, off, 'already off: the same answer');
      assert.equal((await summary(ada, team)).changeSeq, start + 4);

      for (const emoji of ['', 'a', 'ab', '👍👍', ':)', '1', '👍 ', 'x'.repeat(70)]) {
        const refused = await ada.react(team, target.id, emoji);
        assert.equal(errorCode(refused, `emoji ${JSON.stringify(emoji)}`), 'validation_failed');
        assert.ok(!refused.ok && refused.fields?.['emoji'], `fields.emoji for ${JSON.stringify(emoji)}`);
      }
      for (const emoji of ['👨‍👩‍👧‍👦', '🇫🇷', '1️⃣', '👍🏽']) okData(await ada.react(team, target.id, emoji), `emoji ${emoji}`);
      assert.equal((await summary(ada, team)).changeSeq, start + 8, 'refusals stored nothing');

      const crowded = await send(ben, team, 'crowd');
      for (const emoji of EMOJI.slice(0, MAX_REACTIONS_PER_MESSAGE)) okData(await ada.react(team, crowded.id, emoji));
      const past = await cleo.react(team, crowded.id, EMOJI[MAX_REACTIONS_PER_MESSAGE]!);
      assert.equal(errorCode(past), 'limit_exceeded');
      const joined = okData(await cleo.react(team, crowded.id, EMOJI[0]!)).message;
      assert.equal(joined.reactions.length, MAX_REACTIONS_PER_MESSAGE, 'an emoji already there is always welcome');
      assert.deepEqual(joined.reactions[0], { emoji: EMOJI[0], userIds: [ada.userId, cleo.userId] });
    });

    test('an empty or too long edit is refused and changes nothing', async () => {
      const target = await send(ada, team, 'stays as it is');
      const position = (await summary(ada, team)).changeSeq;
      for (const body of ['', '   \n ', 'x'.repeat(4001)]) {
        const refused = await ada.edit(team, target.id, body);
        assert.equal(errorCode(refused), 'validation_failed');
        assert.ok(!refused.ok && refused.fields?.['body']);
      }
      assert.equal(okData(await ada.edit(team, target.id, 'y'.repeat(4000))).message.body.length, 4000);
      okData(await ada.edit(team, target.id, 'stays as it is'));
      assert.equal((await summary(ada, team)).changeSeq, position + 2);
    });

    test('an edit or a delete retried after success answers the same, and the chat\'s change position moves once each', async () => {
      const target = await send(ada, team, 'draft');
      const position = (await summary(ada, team)).changeSeq;
      const heard = recordEvents(ben.socket);
      const edited = okData(await ada.edit(team, target.id, 'final'));
      assert.deepEqual(okData(await ada.edit(team, target.id, 'final')), edited);
      const deleted = okData(await ada.remove(team, target.id));
      assert.deepEqual(okData(await ada.remove(team, target.id)), deleted);
      assert.equal((await summary(ada, team)).changeSeq, position + 2);

      // One more change, after the retries: events of one room arrive in order, so once it is
      // here, any event a retry had caused would have arrived before it.
      const marker = await send(ada, team, 'marker');
      const markerHeard = nextEvent(ben.socket, 'message:changed', (c) => c.message.id === marker.id);
      okData(await cleo.react(team, marker.id, '👀'));
      await markerHeard;
      const changes = heard.filter((e) => e.event === 'message:changed').map((e) => e.payload as MessageChange);
      assert.deepEqual(
        changes.map((c) => [c.message.id, c.kind, c.changeSeq]),
        [
          [target.id, 'edit', position + 1],
          [target.id, 'delete', position + 2],
          [marker.id, 'react', position + 3],
        ],
      );
    });

    test('an edit racing a delete: the delete wins, and every client ends with the tombstone, live and through sync', async () => {
      const bens = await send(ben, team, 'contested');
      const lastHeld = bens.id;
      const cursor = (await summary(cleo, team)).changeSeq;
      const heardByBen = recordEvents(ben.socket);
      const heardByCleo = recordEvents(cleo.socket);

      const [edit, removal] = await Promise.all([ben.edit(team, bens.id, 'edited meanwhile'), ada.remove(team, bens.id)]);
      const deleted = okData(removal).message;
      assert.deepEqual([deleted.deletedBy, deleted.body], ['admin', '']);
      if (!edit.ok) assert.equal(edit.code, 'conflict');
      else assert.ok(edit.data.message.changeSeq < deleted.changeSeq, 'an edit that got in first is older than the delete');

      // What the store ends with: the tombstone (a store may settle an overtaken edit's position on it).
      const tombstone = await historyMessage(ben, team, bens.id);
      assert.deepEqual({ ...tombstone, changeSeq: deleted.changeSeq }, deleted, 'the delete won');

      // Live: each client keeps the state with the higher changeSeq, of its own answers and the events.
      const settled = nextEvent(ben.socket, 'message:changed', (c) => c.kind === 'react');
      const marker = await send(ben, team, 'settle');
      okData(await ada.react(team, marker.id, '✅'));
      await settled;
      const bensView = new Map<string, Message>([[bens.id, bens]]);
      if (edit.ok) fold(bensView, edit.data.message);
      const cleosView = new Map<string, Message>([[bens.id, bens]]);
      for (const [heard, view] of [
        [heardByBen, bensView],
        [heardByCleo, cleosView],
      ] as const) {
        for (const e of heard) if (e.event === 'message:changed') fold(view, (e.payload as MessageChange).message);
        assert.deepEqual(view.get(bens.id), tombstone);
      }

      // Through sync: from the change position held before the race.
      const synced = okData(await cleo.sync({ chats: { [team]: lastHeld }, changes: { [team]: cursor } })).chats[team];
      assert.ok(synced);
      const ofTarget = synced.changes.filter((c) => c.message.id === bens.id);
      assert.equal(ofTarget.length, 1, 'the message once, in its newest state');
      assert.deepEqual(ofTarget[0]!.message, tombstone);
      assert.equal(ofTarget[0]!.kind, 'delete');
      assert.deepEqual(synced.messages.map((m) => m.id), [marker.id], 'newer messages come whole, as they are now');
      assert.deepEqual(synced.messages[0]!.reactions, [{ emoji: '✅', userIds: [ada.userId] }]);
      assert.equal(synced.changes.some((c) => c.message.id === marker.id), false, 'a change to a message in `messages` is not repeated');
      assert.equal(synced.changeSeq, (await summary(cleo, team)).changeSeq);
      assert.equal(synced.hasMoreChanges, false);
    });

    test('unread counts leave deleted messages out; edits do not make a message unread again; the chat list preview follows the last message', async () => {
      const [eve, fay] = [await client('eve'), await client('fay')];
      const dm = await direct(eve, fay);
      const sent = [await send(eve, dm, 'one'), await send(eve, dm, 'two'), await send(eve, dm, 'three')];
      assert.equal((await summary(fay, dm)).unreadCount, 3);
      okData(await eve.remove(dm, sent[0]!.id));
      assert.equal((await summary(fay, dm)).unreadCount, 2, 'a deleted message is not unread');

      await ok(fay.socket, 'chat:read', { chatId: dm, upTo: sent[2]!.id });
      assert.equal((await summary(fay, dm)).unreadCount, 0);
      const edited = okData(await eve.edit(dm, sent[2]!.id, 'three, edited')).message;
      const afterEdit = await summary(fay, dm);
      assert.equal(afterEdit.unreadCount, 0, 'an edit is not a new message');
      assert.deepEqual(afterEdit.lastMessage, edited, 'the preview shows the edit');
      assert.equal(afterEdit.changeSeq, edited.changeSeq);

      const tombstone = okData(await eve.remove(dm, sent[2]!.id)).message;
      const afterDelete = await summary(fay, dm);
      assert.deepEqual(afterDelete.lastMessage, tombstone, 'the preview shows the deletion, not the erased body');
      assert.equal(afterDelete.unreadCount, 0);
      assert.equal((await summary(eve, dm)).lastMessage?.body, '');
    });

    test('history around a message: it, up to limit before and after, with hasMore and hasNewer', async () => {
      const [gus, hal] = [await client('gus'), await client('hal')];
      const dm = await direct(gus, hal);
      const sent: Message[] = [];
      for (let i = 1; i <= 30; i += 1) sent.push(await send(i % 2 ? gus : hal, dm, `m${i}`));
      const around = async (index: number, limit: number) => okData(await hal.history(dm, { around: sent[index]!.id, limit }));

      const middle = await around(14, 5);
      assert.deepEqual(middle.messages.map((m) => m.body), ['m10', 'm11', 'm12', 'm13', 'm14', 'm15', 'm16', 'm17', 'm18', 'm19', 'm20']);
      assert.deepEqual([middle.hasMore, middle.hasNewer], [true, true]);
      const start = await around(1, 5);
      assert.deepEqual(start.messages.map((m) => m.body), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
      assert.deepEqual([start.hasMore, start.hasNewer], [false, true]);
      const end = await around(29, 3);
      assert.deepEqual(end.messages.map((m) => m.body), ['m27', 'm28', 'm29', 'm30']);
      assert.deepEqual([end.hasMore, end.hasNewer], [true, false]);
      const edge = await around(24, 5);
      assert.deepEqual([edge.messages.length, edge.hasNewer], [11, false], 'exactly limit newer ones: none remain');
      const alone = await around(0, 1);
      assert.deepEqual(alone.messages.map((m) => m.body), ['m1', 'm2']);

      const both = await hal.history(dm, { around: sent[3]!.id, before: sent[5]!.id });
      assert.equal(errorCode(both), 'validation_failed');
      assert.ok(!both.ok && both.fields?.['around']);
      assert.equal(errorCode(await hal.history(dm, { around: ulid() })), 'not_found');
      const plain = okData(await hal.history(dm, { limit: 5 }));
      assert.deepEqual(plain.messages.map((m) => m.body), ['m26', 'm27', 'm28', 'm29', 'm30']);
    });

    test('sync without change cursors: no changes, the chat\'s change position to start from', async () => {
      const target = await send(ada, team, 'to be changed');
      okData(await ben.react(team, target.id, '🔥'));
      const position = (await summary(ada, team)).changeSeq;
      const result = okData(await cleo.sync({ chats: { [team]: target.id } }));
      assert.deepEqual(result.chats[team], { messages: [], hasMore: false, changes: [], changeSeq: position, hasMoreChanges: false });
      assert.equal(result.summaries.find((s) => s.id === team)?.changeSeq, position);
      const fresh = okData(await cleo.sync({ chats: { [team]: null }, changes: { [team]: 0 } })).chats[team];
      assert.deepEqual([fresh?.changes, fresh?.changeSeq], [[], position], 'holding no messages, there is nothing to change');
      assert.deepEqual(fresh?.messages.find((m) => m.id === target.id)?.reactions, [{ emoji: '🔥', userIds: [ben.userId] }]);
    });
  });
}

/** What a describe below works with: a server of its own, ada and ben, ada's socket and a checked REST client. */
interface Fixture {
  t: TestServer;
  ada: TestUser;
  ben: TestUser;
  socket: ClientSocket;
  /** REST requests checked against the OpenAPI document. */
  api: CheckedClient;
}

/** Starts the describe's server before its tests and stops it after them; the fixture is filled in `before`. */
function serverForDescribe(overrides: Parameters<typeof startTestServer>[0] = {}): Fixture {
  const fixture = {} as Fixture;
  before(async () => {
    fixture.t = await startTestServer(overrides);
    fixture.ada = await createUser(fixture.t, 'ada');
    fixture.ben = await createUser(fixture.t, 'ben');
    fixture.socket = await connectAs(fixture.t, fixture.ada);
    fixture.api = new CheckedClient(fixture.t.url, await OpenApiValidator.load(fixture.t.url));
  });
  after(async () => {
    closeAll(fixture.socket);
    await fixture.t.close();
  });
  return fixture;
}

describe('sync from a change cursor, paged', () => {
  const f = serverForDescribe({ WRITES_BURST: 10_000, WRITES_PER_SECOND: 10_000, SOCKET_EVENTS_BURST: 10_000, SOCKET_EVENTS_PER_SECOND: 10_000 });

  /** Stores `count` messages and then `changes` changes to them, straight through the storage port, in rounds run concurrently. */
  async function seededChat(count: number, changes: number): Promise<{ chatId: string; messages: Message[] }> {
    const chatId = (await ok(f.socket, 'chat:open', { userId: f.ben.user.id })).chat.id;
    const messages: Message[] = [];
    for (let i = 0; i < count; i += 1) messages.push((await ok(f.socket, 'chat:message', { chatId, clientId: randomUUID(), body: `m${i}` })).message);
    for (let done = 0; done < changes; ) {
      const round = Math.min(200, changes - done);
      await Promise.all(
        Array.from({ length: round }, (_, i) => {
          const n = done + i;
          const messageId = messages[n % count]!.id;
          return n % 10 === 0
            ? f.t.server.storage.messages.change(chatId, { kind: 'react', messageId, actorId: f.ben.user.id, emoji: EMOJI[(n / 10) % EMOJI.length]!, on: true })
            : f.t.server.storage.messages.change(chatId, { kind: 'edit', messageId, actorId: f.ada.user.id, body: `m${n % count} v${n}` });
        }),
      );
      done += round;
    }
    return { chatId, messages };
  }

  for (const via of ['socket', 'rest'] as const) {
    test(`each change once, in order, in pages of at most ${SYNC_CHANGES_PAGE_SIZE} change rows; each message once per page in its newest state (${via})`, async () => {
      const { chatId, messages } = await seededChat(40, 1300);
      const lastHeld = messages.at(-1)!.id;
      const total = (await ok(f.socket, 'chat:get', { chatId })).chat.changeSeq;
      assert.ok(total >= 1000, `enough changes were stored (${total})`);
      const rows = await f.t.server.storage.messages.changesAfter(chatId, 0, total + 10);
      assert.deepEqual(rows.map((r) => r.changeSeq), Array.from({ length: total }, (_, i) => i + 1), 'the change log is gap-free');
      const syncPage = async (cursor: number) => {
        const request = { chats: { [chatId]: lastHeld }, changes: { [chatId]: cursor } };
        if (via === 'socket') return (await ok(f.socket, 'sync', request)).chats[chatId]!;
        const res = await f.api.post('/api/sync', { token: f.ada.token, body: request });
        assert.equal(res.status, 200);
        return (res.body as SyncResult).chats[chatId]!;
      };

      let cursor = 0;
      const pages: MessageChange[][] = [];
      for (let round = 0; round <= Math.ceil(total / SYNC_CHANGES_PAGE_SIZE); round += 1) {
        const page = await syncPage(cursor);
        assert.deepEqual(page.messages, []);
        assert.ok(page.changeSeq > cursor && page.changeSeq - cursor <= SYNC_CHANGES_PAGE_SIZE, `at most ${SYNC_CHANGES_PAGE_SIZE} change rows per page, and progress`);
        // The page holds exactly the messages changed in its range, each once, in the order of its newest change there.
        const covered = rows.filter((row) => row.changeSeq > cursor && row.changeSeq <= page.changeSeq);
        const newest = new Map(covered.map((row) => [row.messageId, row.changeSeq]));
        const expected = [...newest].sort((a, b) => a[1] - b[1]);
        assert.deepEqual(
          page.changes.map((c) => [c.message.id, c.changeSeq]),
          expected,
          'every change of the range once, through its message, in change order',
        );
        pages.push(page.changes);
        cursor = page.changeSeq;
        if (!page.hasMoreChanges) break;
      }
      assert.ok(pages.length >= 3, `paged (${pages.length} pages)`);
      assert.equal(cursor, total, "the last page reaches the chat's change position");

      const final = new Map<string, Message>(messages.map((m) => [m.id, m]));
      for (const page of pages) for (const change of page) fold(final, change.message);
      const history = (await ok(f.socket, 'chat:history', { chatId, limit: 50 })).messages;
      for (const message of history) assert.deepEqual(final.get(message.id), message, `${message.id} ends as history shows it`);

      const again = await syncPage(cursor);
      assert.deepEqual([again.changes, again.changeSeq, again.hasMoreChanges], [[], total, false], 'nothing twice');
    });
  }
});

describe('malformed change requests', () => {
  const f = serverForDescribe();

  test('get error acks and error answers, and store nothing', async () => {
    const chatId = (await ok(f.socket, 'chat:open', { userId: f.ben.user.id })).chat.id;
    const { message } = await ok(f.socket, 'chat:message', { chatId, clientId: randomUUID(), body: 'untouched' });
    const messageId = message.id;
    const badPayloads: Array<[string, unknown]> = [
      ['message:edit', 'edit'],
      ['message:edit', 42],
      ['message:edit', null],
      ['message:edit', [chatId, messageId, 'x']],
      ['message:edit', { chatId, messageId }],
      ['message:edit', { chatId, body: 'x' }],
      ['message:edit', { chatId, messageId: 'nope', body: 'x' }],
      ['message:edit', { chatId, messageId, body: 'x', senderId: f.ada.user.id }],
      ['message:edit', { chatId, messageId, body: 42 }],
      ['message:delete', { chatId }],
      ['message:delete', { chatId, messageId, by: 'admin' }],
      ['message:delete', 'x'],
      ['message:react', { chatId, messageId, emoji: '👍' }],
      ['message:react', { chatId, messageId, emoji: '👍', on: 'yes' }],
      ['message:react', { chatId, messageId, emoji: ['👍'], on: true }],
      ['message:react', { chatId, messageId, emoji: '👍', on: true, userId: f.ben.user.id }],
      ['chat:message', { chatId, clientId: randomUUID(), body: 'x', replyTo: 42 }],
      ['chat:history', { chatId, around: 'nope' }],
      ['sync', { chats: { [chatId]: messageId }, changes: { [chatId]: -1 } }],
      ['sync', { chats: { [chatId]: messageId }, changes: { [chatId]: 1.5 } }],
    ];
    for (const [event, payload] of badPayloads) {
      const ack = (await rawCall(f.socket, event, payload)) as { ok: boolean; error?: { code: string } };
      assert.deepEqual([ack.ok, ack.error?.code], [false, 'validation_failed'], `${event} ${JSON.stringify(payload)}`);
    }

    const token = f.ada.token;
    const path = `/api/chats/${chatId}/messages/${messageId}`;
    const answers = [
      await f.api.patch(path, { token, body: {} }),
      await f.api.patch(path, { token, body: { body: 'x', chatId } }),
      await f.api.patch(path, { token, body: { body: 'x', messageId } }),
      await f.api.patch(`/api/chats/${chatId}/messages/nope`, { token, body: { body: 'x' } }),
      await f.api.patch(`/api/chats/nope/messages/${messageId}`, { token, body: { body: 'x' } }),
      await f.api.delete(path, { token, body: { extra: true } }),
      await f.api.call('put', `${path}/reactions`, { token, body: { emoji: '👍' } }),
      await f.api.call('put', `${path}/reactions`, { token, body: { emoji: 'ok', on: true } }),
      await f.api.get(`/api/chats/${chatId}/messages?around=nope`, { token }),
    ];
    for (const res of answers) assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal((await f.api.patch(path, { body: { body: 'x' } })).status, 401);

    const stored = await f.t.server.storage.messages.byId(messageId);
    assert.deepEqual([stored?.body, stored?.changeSeq, stored?.editedAt, stored?.deletedAt], ['untouched', 0, null, null]);
    assert.deepEqual(await f.t.server.storage.messages.reactionsOf([messageId]), []);
    assert.equal((await f.t.server.storage.chats.byId(chatId))?.lastChangeSeq, 0);
    assert.equal((await ok(f.socket, 'chat:history', { chatId })).messages.length, 1);
  });
});

describe('the edit window (MESSAGE_EDIT_WINDOW_S)', () => {
  const f = serverForDescribe({ MESSAGE_EDIT_WINDOW_S: 1 });

  test('edits within the window pass; past it they are forbidden over both transports, while deleting still works', async () => {
    const chatId = (await ok(f.socket, 'chat:open', { userId: f.ben.user.id })).chat.id;
    const { message } = await ok(f.socket, 'chat:message', { chatId, clientId: randomUUID(), body: 'quick' });
    await ok(f.socket, 'message:edit', { chatId, messageId: message.id, body: 'quick fix' });
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const late = await rawCall(f.socket, 'message:edit', { chatId, messageId: message.id, body: 'too late' });
    assert.deepEqual((late as { error: { code: string } }).error.code, 'forbidden');
    const lateOverRest = await f.api.patch(`/api/chats/${chatId}/messages/${message.id}`, { token: f.ada.token, body: { body: 'too late' } });
    assert.equal(lateOverRest.status, 403);
    const retry = await ok(f.socket, 'message:edit', { chatId, messageId: message.id, body: 'quick fix' });
    assert.equal(retry.message.body, 'quick fix', 'a retry of the edit made in time still gets its answer');
    const removed = await f.api.delete(`/api/chats/${chatId}/messages/${message.id}`, { token: f.ada.token });
    assert.equal(removed.status, 200);
    assert.equal((removed.body as { message: Message }).message.deletedBy, 'sender');
  });
});

describe('the send path', () => {
  const f = serverForDescribe();

  /** Store calls per operation so far, from the server's metrics. */
  async function storeCalls(): Promise<Map<string, number>> {
    const text = (await f.api.get('/metrics')).text;
    const counts = new Map<string, number>();
    for (const match of text.matchAll(/^chat_store_query_latency_seconds_count\{operation="([^"]+)"\} (\d+)$/gm)) counts.set(match[1]!, Number(match[2]));
    return counts;
  }

  /** The store operations called while `action` ran, with how often. */
  async function callsDuring(action: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = await storeCalls();
    await action();
    const after = await storeCalls();
    const made: Record<string, number> = {};
    for (const [operation, count] of after) if (count > (before.get(operation) ?? 0)) made[operation] = count - (before.get(operation) ?? 0);
    return made;
  }

  test('a send to a group reads the members and appends, nothing more; a reply also reads the message it answers', async () => {
    const chatId = (await ok(f.socket, 'group:create', { name: 'fast', memberIds: [f.ben.user.id] })).chat.id;
    const first = await ok(f.socket, 'chat:message', { chatId, clientId: randomUUID(), body: 'first' });
    const send = (extra: Record<string, string> = {}) => ok(f.socket, 'chat:message', { chatId, clientId: randomUUID(), body: 'hello', ...extra });
    assert.deepEqual(await callsDuring(() => send()), { 'members.list': 1, 'messages.append': 1 });
    assert.deepEqual(await callsDuring(() => send({ replyTo: first.message.id })), { 'members.list': 1, 'messages.byId': 1, 'messages.append': 1 });
  });
});

