/**
 * Mentions and notification levels against the real server, over both transports: every test
 * body runs once with socket requests and once with REST requests (answers checked against the
 * OpenAPI document). Live events are heard on the users' sockets either way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ulid } from 'ulid';
import { mentionToken } from '../../shared/src/schemas/mentions.js';
import type { Message } from '../../shared/src/schemas/messages.js';
import type { TestServer } from './start-test-server.js';
import { errorCode, okData, restClient, socketClient, type MessageClient, transportLegs } from './support/message-clients.js';
import type { CheckedClient } from './support/openapi-validator.js';
import { startUnthrottledServer } from './support/unthrottled-server.js';
import { closeAll, connectAs, nextEvent, ok, QUIET_MS, rawCall, recordEvents, type ClientSocket } from './support/socket-client.js';
import { createUser, type TestUser } from './support/stored-users.js';

/** A database of its own on MONGODB_URI's server. */
for (const { transport, mongoUri } of transportLegs('mentions')) {
  describe(`mentions and notification levels over ${transport === 'socket' ? 'sockets' : 'REST'}${mongoUri ? ', stored in MongoDB' : ''}`, () => {
    let t: TestServer;
    let api: CheckedClient;
    const sockets: ClientSocket[] = [];
    let counter = 0;
    /** ada (admin), ben and cleo; dan is not a member. */
    let team: string;
    let ada: MessageClient, ben: MessageClient, cleo: MessageClient, dan: MessageClient;
    const tokens = new Map<string, string>();
    const users = new Map<string, TestUser>();

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
      tokens.set(user.user.id, user.token);
      users.set(user.user.id, user);
      const socket = await connectAs(t, user);
      sockets.push(socket);
      return transport === 'socket' ? socketClient(user.user.id, socket) : restClient(user.user.id, socket, api, user.token);
    }

    async function send(from: MessageClient, chatId: string, body: string): Promise<Message> {
      return okData(await from.send(chatId, body), 'send').message;
    }

    async function summary(who: MessageClient, chatId: string) {
      const chat = okData(await who.chats(), 'chat list').chats.find((c) => c.id === chatId);
      assert.ok(chat, 'the chat is in the list');
      return chat;
    }

    async function readAll(who: MessageClient, chatId: string): Promise<void> {
      const last = (await summary(who, chatId)).lastMessage;
      if (last) await ok(who.socket, 'chat:read', { chatId, upTo: last.id });
    }

    test('a message mentions the members its tokens name: not the sender, not outsiders, each once; everyone hears the same mentions', async () => {
      await Promise.all([readAll(ben, team), readAll(cleo, team)]);
      const toCleo = nextEvent(cleo.socket, 'chat:message', (m) => m.body.includes('standup'));
      const body = `${mentionToken(ben.userId)} and ${mentionToken(dan.userId)} and ${mentionToken(ada.userId)}: standup ${mentionToken(ben.userId)}`;
      const message = await send(ada, team, body);
      assert.equal(message.body, body, 'the body keeps every token as written');
      assert.deepEqual(message.mentions, [ben.userId]);
      assert.deepEqual((await toCleo).mentions, [ben.userId]);

      const forBen = await summary(ben, team);
      assert.equal(forBen.unreadMentionCount, 1);
      assert.equal(forBen.unreadCount, 1);
      assert.equal((await summary(cleo, team)).unreadMentionCount, 0);
      assert.equal((await summary(ada, team)).unreadMentionCount, 0, 'mentioning yourself counts nothing');

      const unknownUser = await send(ada, team, `${mentionToken(ulid())} hello`);
      assert.deepEqual(unknownUser.mentions, [], 'an id of nobody has no effect');
      const lookalike = await send(ada, team, `<@${ben.userId.toLowerCase()}> <@ ${ben.userId}> @${ben.userId}`);
      assert.deepEqual(lookalike.mentions, [], 'only the exact token mentions');
      assert.equal((await summary(ben, team)).unreadMentionCount, 1);
    });

    test('an edit computes the mentions again; the count follows edits, deletes and the read position', async () => {
      await readAll(ben, team);
      await readAll(cleo, team);
      const message = await send(ada, team, `${mentionToken(ben.userId)} please look`);
      assert.equal((await summary(ben, team)).unreadMentionCount, 1);

      const toBen = nextEvent(ben.socket, 'message:changed', (c) => c.message.id === message.id);
      const edited = okData(await ada.edit(team, message.id, `${mentionToken(cleo.userId)} please look`)).message;
      assert.deepEqual(edited.mentions, [cleo.userId]);
      assert.deepEqual((await toBen).message.mentions, [cleo.userId]);
      assert.equal((await summary(ben, team)).unreadMentionCount, 0);
      assert.equal((await summary(cleo, team)).unreadMentionCount, 1);

      const deleted = okData(await ada.remove(team, message.id)).message;
      assert.deepEqual(deleted.mentions, []);
      assert.equal((await summary(cleo, team)).unreadMentionCount, 0);

      const later = await send(ben, team, `${mentionToken(cleo.userId)} one`);
      await send(ben, team, `${mentionToken(cleo.userId)} two`);
      assert.equal((await summary(cleo, team)).unreadMentionCount, 2);
      await ok(cleo.socket, 'chat:read', { chatId: team, upTo: later.id });
      assert.equal((await summary(cleo, team)).unreadMentionCount, 1);
    });

    test('a member removed from the group is no longer mentioned, even by an edit', async () => {
      const side = (await ok(ada.socket, 'group:create', { name: 'side', memberIds: [ben.userId, cleo.userId] })).chat.id;
      const message = await send(ada, side, `${mentionToken(cleo.userId)} hi`);
      assert.deepEqual(message.mentions, [cleo.userId]);
      await ok(ada.socket, 'group:update', { chatId: side, removeMemberIds: [cleo.userId] });
      const edited = okData(await ada.edit(side, message.id, `${mentionToken(cleo.userId)} hi again`)).message;
      assert.deepEqual(edited.mentions, [], 'cleo is no longer a member when the edit is made');
    });

    test('the notify level: stored per member, answered, echoed to the caller’s other sessions only, and in their chat summary alone', async () => {
      // Ben's second device: over sockets his requesting socket hears nothing back, this one does.
      const benElsewhere = await connectAs(t, users.get(ben.userId)!);
      sockets.push(benElsewhere);
      const adaHears = recordEvents(ada.socket);
      const cleoHears = recordEvents(cleo.socket);
      const echoed = nextEvent(benElsewhere, 'chat:notify', (s) => s.chatId === team);

      assert.equal((await summary(ben, team)).notify, 'all', 'all until chosen');
      assert.deepEqual(okData(await ben.notify(team, 'muted')), { chatId: team, level: 'muted' });
      assert.deepEqual(await echoed, { chatId: team, level: 'muted' });
      assert.equal((await summary(ben, team)).notify, 'muted');
      assert.equal((await summary(ada, team)).notify, 'all', 'another member’s level is their own');
      assert.equal((await summary(cleo, team)).notify, 'all');

      okData(await ben.notify(team, 'mentions'));
      assert.equal((await summary(ben, team)).notify, 'mentions');
      assert.deepEqual(okData(await ben.notify(team, 'mentions')), { chatId: team, level: 'mentions' }, 'the same level again answers the same');

      // A muted member's unread counts still come (the client decides what to badge), and their level stays theirs.
      okData(await ben.notify(team, 'muted'));
      await send(cleo, team, `${mentionToken(ben.userId)} muted but counted`);
      const forBen = await summary(ben, team);
      assert.equal(forBen.notify, 'muted');
      assert.ok(forBen.unreadMentionCount >= 1);

      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      for (const heard of [adaHears, cleoHears]) {
        assert.equal(heard.some((e) => e.event === 'chat:notify'), false, 'nobody else hears of it');
        const leaked = heard.some((e) => JSON.stringify(e.payload).includes('"notify":"muted"'));
        assert.equal(leaked, false, 'no other member’s event carries the level');
      }
      okData(await ben.notify(team, 'all'));
    });

    test('chat:notify / PUT notify: bad input and outsiders are refused, and nothing is stored', async () => {
      const before = (await t.server.storage.members.get(team, cleo.userId))?.notify;
      for (const level of ['loud', '', null, 3]) {
        const outcome = await cleo.notify(team, level);
        assert.equal(errorCode(outcome, `level ${String(level)}`), 'validation_failed');
        assert.ok(!outcome.ok && outcome.fields?.['level'], 'the field is named');
      }
      assert.equal(errorCode(await cleo.notify('not-an-id', 'muted')), 'validation_failed');
      assert.equal(errorCode(await dan.notify(team, 'muted')), 'not_found', 'an outsider learns nothing of the chat');
      assert.equal(errorCode(await dan.notify(ulid(), 'muted')), 'not_found');
      assert.equal((await t.server.storage.members.get(team, cleo.userId))?.notify, before);
      assert.equal(await t.server.storage.members.get(team, dan.userId), null);

      if (transport === 'socket') {
        const extra = await rawCall(cleo.socket, 'chat:notify', { chatId: team, level: 'muted', userId: ben.userId });
        assert.equal((extra as { ok: boolean }).ok, false, 'unknown fields (someone else’s id) are refused');
        const noPayload = await rawCall(cleo.socket, 'chat:notify', 'muted');
        assert.equal((noPayload as { ok: boolean }).ok, false);
      } else {
        const token = tokens.get(cleo.userId)!;
        const extra = await api.call('put', `/api/chats/${team}/notify`, { token, body: { level: 'muted', userId: ben.userId } });
        assert.equal(extra.status, 400);
        const noBody = await api.call('put', `/api/chats/${team}/notify`, { token });
        assert.equal(noBody.status, 400);
        const anonymous = await api.call('put', `/api/chats/${team}/notify`, { body: { level: 'muted' } });
        assert.equal(anonymous.status, 401);
      }
      assert.equal((await t.server.storage.members.get(team, cleo.userId))?.notify, before, 'nothing was stored');
      assert.equal((await t.server.storage.members.get(team, ben.userId))?.notify, 'all');
    });
  });
}
