/**
 * Message search (`message:search`, GET /api/messages/search) against the real server, over both
 * transports: every test body runs once with socket requests and once with REST requests (answers
 * checked against the OpenAPI document). Rights, the query syntax, paging and bad input.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Ack } from '../../shared/src/api-error.js';
import type { Message } from '../../shared/src/schemas/messages.js';
import type { SearchMessagesRequest, SearchResult } from '../../shared/src/schemas/search.js';
import { SCAN_MESSAGES_PER_CHAT } from '../src/messages/search-messages.js';
import type { TestServer } from './start-test-server.js';
import { transportLegs, type Outcome } from './support/message-clients.js';
import type { CheckedClient } from './support/openapi-validator.js';
import { startUnthrottledServer } from './support/unthrottled-server.js';
import { call, closeAll, connectAs, ok, rawCall, type ClientSocket } from './support/socket-client.js';
import { createUser } from './support/stored-users.js';

interface Searcher {
  userId: string;
  username: string;
  socket: ClientSocket;
  search(request: Record<string, unknown>): Promise<Outcome<SearchResult>>;
}

function outcomeOfAck<T>(ack: Ack<T>): Outcome<T> {
  if (ack.ok) return { ok: true, data: ack.data };
  return { ok: false, code: ack.error.code, message: ack.error.message, ...(ack.error.fields && { fields: ack.error.fields }) };
}

/** A database of its own on MONGODB_URI's server. */
for (const { transport, mongoUri } of transportLegs('message_search')) {
  describe(`message search over ${transport === 'socket' ? 'sockets' : 'REST'}${mongoUri ? ', stored in MongoDB' : ''}`, () => {
    let t: TestServer;
    let api: CheckedClient;
    const sockets: ClientSocket[] = [];
    let counter = 0;
    let ada: Searcher, ben: Searcher, cleo: Searcher;

    before(async () => {
      ({ t, api } = await startUnthrottledServer(mongoUri));
      [ada, ben, cleo] = await Promise.all(['ada', 'ben', 'cleo'].map((name) => searcher(name)));
    });
    after(async () => {
      closeAll(...sockets);
      await t.close();
    });

    async function searcher(name: string): Promise<Searcher> {
      const { user, token } = await createUser(t, `${name}_${transport}_${++counter}`);
      const socket = await connectAs(t, { user, token });
      sockets.push(socket);
      const search =
        transport === 'socket'
          ? async (request: Record<string, unknown>) => outcomeOfAck(await call(socket, 'message:search', request as SearchMessagesRequest))
          : async (request: Record<string, unknown>) => {
              const params = new URLSearchParams(Object.entries(request).map(([key, value]) => [key, String(value)]));
              const res = await api.get(`/api/messages/search?${params}`, { token });
              if (res.status === 200) return { ok: true as const, data: res.body as SearchResult };
              assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
              const { code, message, fields } = res.body.error as { code: string; message: string; fields?: Record<string, string> };
              return { ok: false as const, code, message, ...(fields && { fields }) };
            };
      return { userId: user.id, username: user.username, socket, search };
    }

    async function send(from: Searcher, chatId: string, body: string): Promise<Message> {
      return (await ok(from.socket, 'chat:message', { chatId, clientId: randomUUID(), body })).message;
    }

    async function group(owner: Searcher, name: string, members: Searcher[]): Promise<string> {
      return (await ok(owner.socket, 'group:create', { name, memberIds: members.map((member) => member.userId) })).chat.id;
    }

    async function bodies(who: Searcher, request: Record<string, unknown>): Promise<string[]> {
      const outcome = await who.search(request);
      if (!outcome.ok) throw new Error(`search failed: ${outcome.code} ${outcome.message}`);
      return outcome.data.hits.map((hit) => hit.snippet.text);
    }

    async function refused(who: Searcher, request: Record<string, unknown>, code: string, field?: string): Promise<void> {
      const outcome = await who.search(request);
      assert.equal(outcome.ok, false, `expected ${code} for ${JSON.stringify(request)}`);
      if (outcome.ok) return;
      assert.equal(outcome.code, code, JSON.stringify(request));
      if (field !== undefined) assert.ok(outcome.fields?.[field], `fields.${field} for ${JSON.stringify(request)}: ${JSON.stringify(outcome.fields)}`);
    }

    test('finds partial words in the chats of the caller, newest first, with marked ranges and chat details', async () => {
      const marker = `zq${counter}x`;
      const room = await group(ada, `Ops ${marker}`, [ben]);
      const direct = (await ok(ada.socket, 'chat:open', { userId: ben.userId })).chat.id;
      const first = await send(ben, room, `We REdeployed ${marker} on Monday`);
      const second = await send(ada, direct, `deploying ${marker} again`);
      await send(cleo, (await ok(cleo.socket, 'chat:open', { userId: ben.userId })).chat.id, `deploy ${marker} elsewhere`);

      const outcome = await ada.search({ query: `deploy ${marker}` });
      assert.ok(outcome.ok);
      const [newest, older] = outcome.data.hits;
      assert.equal(outcome.data.hits.length, 2);
      assert.equal(outcome.data.next, null);
      assert.deepEqual(newest, {
        messageId: second.id,
        chatId: direct,
        chatKind: 'direct',
        chatName: null,
        peerId: ben.userId,
        seq: second.seq,
        senderId: ada.userId,
        createdAt: second.createdAt,
        editedAt: null,
        snippet: { text: `deploying ${marker} again`, ranges: [{ start: 0, end: 6 }, { start: 10, end: 10 + marker.length }] },
      });
      assert.equal(older?.messageId, first.id);
      assert.equal(older?.chatName, `Ops ${marker}`);
      assert.equal(older?.peerId, null);
      assert.deepEqual(older?.snippet.ranges[0], { start: 5, end: 11 });
    });

    test('a left or removed member stops finding the chat at once; joining finds its earlier history', async () => {
      const marker = `lv${counter}y`;
      const room = await group(ada, `Leave ${marker}`, [ben, cleo]);
      await send(ada, room, `history ${marker} before`);
      assert.equal((await bodies(ben, { query: marker })).length, 1);
      assert.equal((await bodies(cleo, { query: marker })).length, 1);
      await ok(ben.socket, 'group:leave', { chatId: room });
      assert.deepEqual(await bodies(ben, { query: marker }), []);
      await ok(ada.socket, 'group:update', { chatId: room, removeMemberIds: [cleo.userId] });
      assert.deepEqual(await bodies(cleo, { query: marker }), []);
      await refused(cleo, { query: marker, chatId: room }, 'not_found');
      const dan = await searcher('dan');
      assert.deepEqual(await bodies(dan, { query: marker }), []);
      await ok(ada.socket, 'group:update', { chatId: room, addMemberIds: [dan.userId] });
      assert.deepEqual(await bodies(dan, { query: marker }), [`history ${marker} before`]);
    });

    test('edits and deletes: the new text only, never a deleted body; notices never match', async () => {
      const marker = `ed${counter}w`;
      const room = await group(ada, `Renamed ${marker}`, [ben]);
      const edited = await send(ada, room, `original ${marker} words`);
      const deleted = await send(ada, room, `confidential ${marker} words`);
      await ok(ada.socket, 'message:edit', { chatId: room, messageId: edited.id, body: `replacement ${marker} text` });
      await ok(ada.socket, 'message:delete', { chatId: room, messageId: deleted.id });
      assert.deepEqual(await bodies(ben, { query: `original ${marker}` }), []);
      assert.deepEqual(await bodies(ben, { query: `replacement ${marker}` }), [`replacement ${marker} text`]);
      assert.deepEqual(await bodies(ben, { query: `confidential` }), []);
      assert.deepEqual(await bodies(ben, { query: marker }), [`replacement ${marker} text`]);
      const hits = (await ben.search({ query: `replacement ${marker}` })) as { ok: true; data: SearchResult };
      assert.ok(hits.data.hits[0]?.editedAt);
    });

    test('filters: from:@user, in:#group, before: and after:, quoted phrases, several terms', async () => {
      const marker = `fl${counter}v`;
      const room = await group(ada, `Team ${marker}`, [ben]);
      const other = await group(ada, `Other ${marker}`, [ben]);
      await send(ada, room, `ada says ${marker} quick brown fox`);
      await send(ben, room, `ben says ${marker} brown quick fox`);
      await send(ben, other, `ben elsewhere ${marker}`);
      assert.deepEqual(await bodies(ada, { query: `${marker} from:@${ben.username}` }), [`ben elsewhere ${marker}`, `ben says ${marker} brown quick fox`]);
      assert.deepEqual(await bodies(ada, { query: `${marker} from:@${ben.username.toUpperCase()} in:#"team ${marker}"` }), [`ben says ${marker} brown quick fox`]);
      assert.deepEqual(await bodies(ada, { query: `${marker} "quick brown"` }), [`ada says ${marker} quick brown fox`]);
      assert.deepEqual(await bodies(ada, { query: `${marker} quick brown` }), [`ben says ${marker} brown quick fox`, `ada says ${marker} quick brown fox`].slice(0, 2));
      assert.deepEqual(await bodies(ada, { query: `${marker} from:@nobody_${marker}` }), []);
      assert.deepEqual(await bodies(ada, { query: `${marker} in:#nowhere` }), []);
      assert.deepEqual(await bodies(ada, { query: `${marker} before:2000-01-01` }), []);
      assert.equal((await bodies(ada, { query: `${marker} after:2000-01-01` })).length, 3);
      const today = new Date().toISOString().slice(0, 10);
      assert.deepEqual(await bodies(ada, { query: `${marker} after:${today}` }), []);
      assert.equal((await bodies(ada, { query: `${marker} in:#team` })).length, 0);
    });

    test('FTS syntax in the query is text: each character and operator', async () => {
      const marker = `sx${counter}q`;
      const room = await group(ada, `Syntax ${marker}`, [ben]);
      const body = `${marker} said "yes" * NEAR(a, b) ^top key:value (x) AND OR NOT [a-z]+ .* end`;
      await send(ada, room, body);
      await send(ada, room, `${marker} plain yes and no`);
      for (const query of ['"', '*', 'NEAR(a,', ':', 'key:value', '^top', '(x)', 'AND', 'OR', 'NOT', '[a-z]+', '.*', '"yes"', 'yes" *']) {
        const found = await bodies(ada, { query: `${marker} ${query}` });
        assert.ok(found.includes(body), `query ${query}: ${JSON.stringify(found)}`);
      }
      assert.deepEqual(await bodies(ada, { query: `${marker} "NEAR(a, b)"` }), [body]);
      assert.deepEqual(await bodies(ada, { query: `${marker} OR nothing_here` }), []);
      assert.deepEqual(await bodies(ada, { query: `${marker} "yes" AND "zzz"` }), []);
    });

    test('short terms are looked for in recent history; paging binds the cursor to the query', async () => {
      const room = await group(ada, `Short ${counter}`, [ben]);
      for (let i = 0; i < 5; i += 1) await send(ada, room, `ok ${i}`);
      const first = await ada.search({ query: 'ok', chatId: room, limit: 2 });
      assert.ok(first.ok && first.data.next !== null);
      if (!first.ok || first.data.next === null) return;
      assert.deepEqual(first.data.hits.map((hit) => hit.snippet.text), ['ok 4', 'ok 3']);
      assert.deepEqual(first.data.hits[0]?.snippet.ranges, [{ start: 0, end: 2 }]);
      const second = await ada.search({ query: 'ok', chatId: room, limit: 2, before: first.data.next });
      assert.ok(second.ok);
      if (second.ok) assert.deepEqual(second.data.hits.map((hit) => hit.snippet.text), ['ok 2', 'ok 1']);
      await refused(ada, { query: 'ok 1', chatId: room, limit: 2, before: first.data.next }, 'validation_failed', 'before');
      await refused(ada, { query: 'ok', limit: 2, before: first.data.next }, 'validation_failed', 'before');
      await refused(ada, { query: 'ok', chatId: room, before: 'bm90IGEgY3Vyc29y' }, 'validation_failed', 'before');

      const marker = `pg${counter}k`;
      for (let i = 0; i < 3; i += 1) await send(ada, room, `${marker} number ${i}`);
      const page = await ada.search({ query: marker, limit: 2 });
      assert.ok(page.ok && page.data.next !== null);
      if (!page.ok || page.data.next === null) return;
      const rest = await ada.search({ query: marker, limit: 2, before: page.data.next });
      assert.ok(rest.ok);
      if (rest.ok) {
        assert.deepEqual([...page.data.hits, ...rest.data.hits].map((hit) => hit.snippet.text), [2, 1, 0].map((i) => `${marker} number ${i}`));
        assert.equal(rest.data.next, null);
      }
      await refused(ada, { query: `${marker} number`, limit: 2, before: page.data.next }, 'validation_failed', 'before');
      assert.ok(SCAN_MESSAGES_PER_CHAT >= 5);
    });

    test('bad input: empty, whitespace, too long, bad filters, a chat not your own, unknown fields', async () => {
      await refused(ada, { query: '' }, 'validation_failed', 'query');
      await refused(ada, { query: '   \t ' }, 'validation_failed', 'query');
      await refused(ada, { query: 'x'.repeat(201) }, 'validation_failed', 'query');
      assert.deepEqual(await bodies(ada, { query: `${'é'.repeat(199)}z` }), []);
      await refused(ada, { query: 'deploy before:2024-13-01' }, 'validation_failed', 'query');
      await refused(ada, { query: 'deploy after:yesterday' }, 'validation_failed', 'query');
      await refused(ada, { query: 'from:ben' }, 'validation_failed', 'query');
      await refused(ada, { query: 'in:#' }, 'validation_failed', 'query');
      await refused(ada, { query: 'x from:@a from:@b' }, 'validation_failed', 'query');
      await refused(ada, { query: 'deploy', chatId: 'not-an-id' }, 'validation_failed', 'chatId');
      await refused(ada, { query: 'deploy', limit: 500 }, 'validation_failed', 'limit');
      const theirs = (await ok(ben.socket, 'chat:open', { userId: cleo.userId })).chat.id;
      await refused(ada, { query: 'deploy', chatId: theirs }, 'not_found');
      if (transport === 'socket') {
        const ack = (await rawCall(ada.socket, 'message:search', { query: 'deploy', extra: 1 })) as Ack<unknown>;
        assert.equal(ack.ok, false);
        if (!ack.ok) assert.equal(ack.error.code, 'validation_failed');
        const bad = (await rawCall(ada.socket, 'message:search', 'not an object')) as Ack<unknown>;
        assert.equal(bad.ok, false);
      } else {
        const res = await api.get('/api/messages/search?query=deploy');
        assert.equal(res.status, 401);
      }
    });
  });
}
