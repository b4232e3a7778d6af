import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatSummary } from '../../shared/src/schemas/chats.js';
import type { Message } from '../../shared/src/schemas/messages.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import {
  assertHeardNothing,
  closeAll,
  connectAs,
  failure,
  nextEvent,
  ok,
  QUIET_MS,
  rawCall,
  recordEvents,
  textMessage,
  type ClientSocket,
} from './support/socket-client.js';
import { createUser, createUsers, type TestUser } from './support/stored-users.js';
import { sleep } from './support/waiting.js';

function roleOf(chat: ChatSummary, userId: string): string | undefined {
  return chat.members.find((m) => m.userId === userId)?.role;
}

describe('groups', () => {
  let t: TestServer;
  let ada: TestUser, ben: TestUser, cleo: TestUser, dan: TestUser;
  let sockets: Record<string, ClientSocket>;
  before(async () => {
    t = await startTestServer({ MAX_GROUP_MEMBERS: 4, ROOM_PASSWORD_ATTEMPTS: 3 });
    [ada, ben, cleo, dan] = await createUsers(t, 'ada', 'ben', 'cleo', 'dan');
    sockets = {
      ada: await connectAs(t, ada),
      ben: await connectAs(t, ben),
      cleo: await connectAs(t, cleo),
      dan: await connectAs(t, dan),
    };
  });
  after(async () => {
    closeAll(...Object.values(sockets));
    await t.close();
  });

  test('creating a group makes the creator admin; members get chat:created and hear the room at once', async () => {
    const benCreated = nextEvent(sockets['ben']!, 'chat:created', (p) => p.chat.name === 'Book club');
    const cleoCreated = nextEvent(sockets['cleo']!, 'chat:created', (p) => p.chat.name === 'Book club');
    const danHeard = recordEvents(sockets['dan']!);
    const { chat } = await ok(sockets['ada']!, 'group:create', { name: '  Book club ', memberIds: [ben.user.id, cleo.user.id, ben.user.id] });
    assert.equal(chat.name, 'Book club');
    assert.equal(chat.kind, 'group');
    assert.equal(chat.hasPassword, false);
    assert.equal(roleOf(chat, ada.user.id), 'admin');
    assert.equal(roleOf(chat, ben.user.id), 'member');
    assert.equal(chat.members.length, 3);
    assert.equal(chat.lastMessage?.kind, 'notice');
    assert.deepEqual(chat.lastMessage?.notice, { type: 'created', actorId: ada.user.id, name: 'Book club' });
    assert.equal(chat.unreadCount, 0);
    const forBen = (await benCreated).chat;
    assert.equal(forBen.id, chat.id);
    assert.equal(forBen.unreadCount, 1);
    await cleoCreated;

    const onCleo = nextEvent(sockets['cleo']!, 'chat:message', (m) => m.body === 'first chapter?');
    await ok(sockets['ben']!, 'chat:message', textMessage(chat.id, 'first chapter?'));
    await onCleo;
    await sleep(QUIET_MS);
    assertHeardNothing(danHeard, 'a non-member hears nothing of the group');
    assert.equal(await failure(sockets['dan']!, 'chat:history', { chatId: chat.id }), 'not_found');
    assert.equal(await failure(sockets['dan']!, 'chat:get', { chatId: chat.id }), 'not_found');
    assert.equal(await failure(sockets['dan']!, 'chat:message', textMessage(chat.id, 'let me in')), 'not_found');
  });

  test('a group cannot grow beyond MAX_GROUP_MEMBERS', async () => {
    const eve = await createUser(t, 'eve');
    assert.equal(
      await failure(sockets['ada']!, 'group:create', { name: 'Too big', memberIds: [ben.user.id, cleo.user.id, dan.user.id, eve.user.id] }),
      'limit_exceeded',
    );
    const { chat } = await ok(sockets['ada']!, 'group:create', { name: 'Just fits', memberIds: [ben.user.id, cleo.user.id, dan.user.id], visibility: 'public' });
    assert.equal(chat.members.length, 4);
    const eveSocket = await connectAs(t, eve);
    assert.equal(await failure(eveSocket, 'group:join', { chatId: chat.id }), 'limit_exceeded');
    assert.equal(await failure(sockets['ada']!, 'group:update', { chatId: chat.id, addMemberIds: [eve.user.id] }), 'limit_exceeded');
    closeAll(eveSocket);
  });

  test('members must be existing users', async () => {
    assert.equal(
      await failure(sockets['ada']!, 'group:create', { name: 'Ghosts', memberIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] }),
      'validation_failed',
    );
  });

  test('search lists public rooms by name with their size, never members or messages', async () => {
    await ok(sockets['ben']!, 'group:create', { name: 'Chess lovers', memberIds: [], visibility: 'public' });
    await ok(sockets['ben']!, 'group:create', { name: 'Secret chess', memberIds: [], visibility: 'public', password: 'knight-to-e5' });
    await ok(sockets['ben']!, 'group:create', { name: 'Private chess club', memberIds: [cleo.user.id] });
    const { rooms } = await ok(sockets['dan']!, 'group:search', { query: 'CHESS' });
    assert.deepEqual(rooms.map((r) => r.name).sort(), ['Chess lovers', 'Secret chess']);
    for (const room of rooms) {
      assert.deepEqual(Object.keys(room).sort(), ['hasPassword', 'id', 'isMember', 'memberCount', 'name']);
      assert.equal(room.memberCount, 1);
      assert.equal(room.isMember, false);
    }
    assert.equal(rooms.find((r) => r.name === 'Secret chess')?.hasPassword, true);
    const mine = await ok(sockets['ben']!, 'group:search', { query: 'chess' });
    assert.ok(mine.rooms.every((r) => r.isMember));
    assert.deepEqual(mine.rooms.map((r) => r.name).sort(), ['Chess lovers', 'Secret chess'], 'a private group is not listed, not even to its members');
    assert.deepEqual((await ok(sockets['dan']!, 'group:search', { query: 'no such room' })).rooms, []);
  });

  test('a room without a password can be joined by anyone; members see a notice and the new member list', async () => {
    const { rooms } = await ok(sockets['dan']!, 'group:search', { query: 'chess lovers' });
    const room = rooms[0]!;
    const benNotice = nextEvent(sockets['ben']!, 'chat:message', (m) => m.chatId === room.id && m.notice?.type === 'joined');
    const benUpdated = nextEvent(sockets['ben']!, 'chat:updated', (p) => p.chat.id === room.id);
    const joined = await ok(sockets['dan']!, 'group:join', { chatId: room.id });
    assert.equal(joined.chat.id, room.id);
    assert.equal(roleOf(joined.chat, dan.user.id), 'member');
    assert.deepEqual(joined.history.messages.map((m) => m.notice?.type), ['created', 'joined']);
    assert.equal((await benNotice).notice?.actorId, dan.user.id);
    assert.equal((await benUpdated).chat.members.length, 2);
    // Joining again is harmless.
    const again = await ok(sockets['dan']!, 'group:join', { chatId: room.id });
    assert.equal(again.chat.members.length, 2);
    // And dan now hears the room.
    const onDan = nextEvent(sockets['dan']!, 'chat:message', (m) => m.body === 'welcome dan');
    await ok(sockets['ben']!, 'chat:message', textMessage(room.id, 'welcome dan'));
    await onDan;
  });

  test('a password room needs the right password, and guessing is throttled per user and room', async () => {
    const { chat } = await ok(sockets['ada']!, 'group:create', { name: 'Vault', memberIds: [], visibility: 'public', password: 'open-sesame' });
    assert.equal(chat.hasPassword, true);
    assert.equal(chat.visibility, 'public');
    const cleoSocket = sockets['cleo']!;
    assert.equal(await failure(cleoSocket, 'group:join', { chatId: chat.id }), 'wrong_password');
    assert.equal(await failure(cleoSocket, 'chat:history', { chatId: chat.id }), 'not_found');
    assert.equal(await failure(cleoSocket, 'group:join', { chatId: chat.id, password: 'guess-1' }), 'wrong_password');
    assert.equal(await failure(cleoSocket, 'group:join', { chatId: chat.id, password: 'guess-2' }), 'wrong_password');
    assert.equal(await failure(cleoSocket, 'group:join', { chatId: chat.id, password: 'guess-3' }), 'wrong_password');
    assert.equal(await failure(cleoSocket, 'group:join', { chatId: chat.id, password: 'open-sesame' }), 'rate_limited');
    assert.equal((await t.server.storage.members.get(chat.id, cleo.user.id)), null);

    // The throttle counts per user: dan still gets his tries, and the right password lets him in.
    assert.equal(await failure(sockets['dan']!, 'group:join', { chatId: chat.id, password: 'wrong' }), 'wrong_password');
    const joined = await ok(sockets['dan']!, 'group:join', { chatId: chat.id, password: 'open-sesame' });
    assert.equal(joined.chat.members.length, 2);
    const stored = await t.server.storage.chats.byId(chat.id);
    assert.ok(stored?.passwordHash?.startsWith('$2'), 'the room password is stored as a bcrypt hash');
  });

  test('only admins change a group: rename, visibility, password, members, roles', async () => {
    const { chat } = await ok(sockets['ada']!, 'group:create', { name: 'Garden', memberIds: [ben.user.id] });
    assert.equal(chat.visibility, 'private');
    assert.equal(await failure(sockets['ben']!, 'group:update', { chatId: chat.id, name: 'Bens garden' }), 'forbidden');
    assert.equal(await failure(sockets['dan']!, 'group:update', { chatId: chat.id, name: 'Dans garden' }), 'not_found');

    const benRenamed = nextEvent(sockets['ben']!, 'chat:updated', (p) => p.chat.id === chat.id);
    const benNotice = nextEvent(sockets['ben']!, 'chat:message', (m) => m.notice?.type === 'renamed');
    const benPublic = nextEvent(sockets['ben']!, 'chat:message', (m) => m.notice?.type === 'made_public');
    const renamed = await ok(sockets['ada']!, 'group:update', { chatId: chat.id, name: 'Roof garden', visibility: 'public', password: 'tomatoes' });
    assert.equal(renamed.chat.name, 'Roof garden');
    assert.equal(renamed.chat.visibility, 'public');
    assert.equal(renamed.chat.hasPassword, true);
    const benSaw = (await benRenamed).chat;
    assert.equal(benSaw.name, 'Roof garden');
    assert.equal(benSaw.visibility, 'public');
    assert.equal((await benNotice).notice?.name, 'Roof garden');
    assert.equal((await benPublic).notice?.actorId, ada.user.id);
    assert.equal(await failure(sockets['ada']!, 'group:update', { chatId: chat.id, visibility: 'private' }), 'validation_failed');
    const unlocked = await ok(sockets['ada']!, 'group:update', { chatId: chat.id, visibility: 'private', password: null });
    assert.equal(unlocked.chat.hasPassword, false);
    assert.equal(unlocked.chat.visibility, 'private');

    // Adding cleo: she gets the chat and hears the room at once.
    const cleoCreated = nextEvent(sockets['cleo']!, 'chat:created', (p) => p.chat.id === chat.id);
    const added = await ok(sockets['ada']!, 'group:update', { chatId: chat.id, addMemberIds: [cleo.user.id], promoteIds: [ben.user.id] });
    assert.equal(roleOf(added.chat, cleo.user.id), 'member');
    assert.equal(roleOf(added.chat, ben.user.id), 'admin');
    await cleoCreated;
    const onCleo = nextEvent(sockets['cleo']!, 'chat:message', (m) => m.body === 'hello cleo');
    await ok(sockets['ben']!, 'chat:message', textMessage(chat.id, 'hello cleo'));
    await onCleo;

    // Removing cleo: she loses the chat, hears nothing more and can no longer send.
    const cleoRemoved = nextEvent(sockets['cleo']!, 'chat:removed', (p) => p.chatId === chat.id);
    const removed = await ok(sockets['ben']!, 'group:update', { chatId: chat.id, removeMemberIds: [cleo.user.id] });
    assert.equal(removed.chat.members.length, 2);
    await cleoRemoved;
    const cleoHeard = recordEvents(sockets['cleo']!);
    await ok(sockets['ada']!, 'chat:message', textMessage(chat.id, 'cleo cannot see this'));
    await sleep(QUIET_MS);
    assertHeardNothing(cleoHeard);
    assert.equal(await failure(sockets['cleo']!, 'chat:message', textMessage(chat.id, 'let me back')), 'not_found');

    const notices = (await ok(sockets['ada']!, 'chat:history', { chatId: chat.id, limit: 50 })).messages
      .filter((m: Message) => m.kind === 'notice')
      .map((m) => m.notice?.type);
    assert.deepEqual(notices, ['created', 'renamed', 'made_public', 'made_private', 'added', 'promoted', 'removed']);
  });

  test('a group always keeps an admin: the last one cannot leave, be demoted or removed without handing over', async () => {
    const { chat } = await ok(sockets['ada']!, 'group:create', { name: 'Stewards', memberIds: [ben.user.id] });
    assert.equal(await failure(sockets['ada']!, 'group:leave', { chatId: chat.id }), 'conflict');
    assert.equal(await failure(sockets['ada']!, 'chat:delete', { chatId: chat.id }), 'conflict');
    assert.equal(await failure(sockets['ada']!, 'group:update', { chatId: chat.id, demoteIds: [ada.user.id] }), 'conflict');
    assert.equal(await failure(sockets['ada']!, 'group:update', { chatId: chat.id, removeMemberIds: [ada.user.id] }), 'validation_failed');
    const ack = await failure(sockets['ada']!, 'group:leave', { chatId: chat.id });
    assert.equal(ack, 'conflict');

    // Handing over, then leaving.
    await ok(sockets['ada']!, 'group:update', { chatId: chat.id, promoteIds: [ben.user.id] });
    const demoted = await ok(sockets['ada']!, 'group:update', { chatId: chat.id, demoteIds: [ada.user.id] });
    assert.equal(roleOf(demoted.chat, ada.user.id), 'member');
    assert.equal(await failure(sockets['ada']!, 'group:update', { chatId: chat.id, name: 'Not mine any more' }), 'forbidden');
    const benNotice = nextEvent(sockets['ben']!, 'chat:message', (m) => m.notice?.type === 'left');
    assert.equal(await ok(sockets['ada']!, 'group:leave', { chatId: chat.id }), null);
    assert.equal((await benNotice).notice?.actorId, ada.user.id);
    assert.equal(await failure(sockets['ada']!, 'chat:history', { chatId: chat.id }), 'not_found');
    assert.ok(!(await ok(sockets['ada']!, 'chat:list', {})).chats.some((c) => c.id === chat.id));
  });

  test('leaving from one tab takes the chat away from the other tabs; deleting a group means leaving it', async () => {
    const adaTab2 = await connectAs(t, ada);
    const { chat } = await ok(sockets['ben']!, 'group:create', { name: 'Picnic', memberIds: [ada.user.id, cleo.user.id] });
    const removed = nextEvent(adaTab2, 'chat:removed', (p) => p.chatId === chat.id);
    await ok(sockets['ada']!, 'chat:delete', { chatId: chat.id });
    await removed;
    assert.equal(await t.server.storage.members.get(chat.id, ada.user.id), null);
    const after = (await ok(sockets['cleo']!, 'chat:get', { chatId: chat.id })).chat;
    assert.deepEqual(after.members.map((m) => m.userId).sort(), [ben.user.id, cleo.user.id].sort());
    closeAll(adaTab2);
  });

  test('the last member may leave; whoever joins the empty group first becomes its admin', async () => {
    const { chat } = await ok(sockets['ada']!, 'group:create', { name: 'Deserted island', memberIds: [], visibility: 'public' });
    assert.equal(await ok(sockets['ada']!, 'group:leave', { chatId: chat.id }), null);
    assert.deepEqual(await t.server.storage.members.list(chat.id), []);
    const joined = await ok(sockets['dan']!, 'group:join', { chatId: chat.id });
    assert.equal(roleOf(joined.chat, dan.user.id), 'admin');
    const again = await ok(sockets['ada']!, 'group:join', { chatId: chat.id });
    assert.equal(roleOf(again.chat, ada.user.id), 'member');
  });

  test('a private group: never searchable; an outsider’s join is answered exactly as a missing chat; an admin adds people', async () => {
    const { chat } = await ok(sockets['ada']!, 'group:create', { name: 'Team Lunch', memberIds: [ben.user.id, cleo.user.id] });
    assert.equal(chat.visibility, 'private');
    await ok(sockets['ada']!, 'chat:message', textMessage(chat.id, 'only for ben and cleo'));
    for (const who of ['dan', 'ada', 'ben'] as const) {
      for (const query of ['', 'team', 'Team Lunch', 'LUNCH']) {
        const { rooms } = await ok(sockets[who]!, 'group:search', { query });
        assert.ok(!rooms.some((r) => r.id === chat.id), `${who} searching ${JSON.stringify(query)}`);
      }
    }

    const danSocket = sockets['dan']!;
    const danHeard = recordEvents(danSocket);
    const missingId = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const missing = await rawCall(danSocket, 'group:join', { chatId: missingId });
    assert.deepEqual(missing, { ok: false, error: { code: 'not_found', message: 'Chat not found' } });
    // More tries than ROOM_PASSWORD_ATTEMPTS: no password is ever looked at, so nothing is throttled either.
    for (const extra of [{}, { password: 'a-guess' }, { password: 'b-guess' }, { password: 'c-guess' }, { password: 'd-guess' }]) {
      assert.deepEqual(await rawCall(danSocket, 'group:join', { chatId: chat.id, ...extra }), missing, JSON.stringify(extra));
      assert.deepEqual(await rawCall(danSocket, 'group:join', { chatId: missingId, ...extra }), missing);
    }
    assert.equal(await t.server.storage.members.get(chat.id, dan.user.id), null);
    await sleep(QUIET_MS);
    assertHeardNothing(danHeard, 'an outsider hears nothing of a private group');
    assert.equal(await failure(danSocket, 'chat:history', { chatId: chat.id }), 'not_found');

    // Added by an admin: dan gets the chat, hears the room and reads the history.
    const danCreated = nextEvent(danSocket, 'chat:created', (p) => p.chat.id === chat.id);
    const added = await ok(sockets['ada']!, 'group:update', { chatId: chat.id, addMemberIds: [dan.user.id] });
    assert.equal(roleOf(added.chat, dan.user.id), 'member');
    assert.equal((await danCreated).chat.visibility, 'private');
    const history = await ok(danSocket, 'chat:history', { chatId: chat.id, limit: 50 });
    assert.ok(history.messages.some((m) => m.body === 'only for ben and cleo'));
    const onDan = nextEvent(danSocket, 'chat:message', (m) => m.body === 'welcome dan');
    await ok(sockets['ben']!, 'chat:message', textMessage(chat.id, 'welcome dan'));
    await onDan;
    assert.equal((await ok(danSocket, 'group:join', { chatId: chat.id })).chat.id, chat.id, 'a member joining just opens it');
  });

  test('a password is refused on a private group, at creation and later', async () => {
    const code = (ack: unknown) => (ack as { error?: { code: string; fields?: Record<string, string> } }).error;
    const created = code(await rawCall(sockets['ada']!, 'group:create', { name: 'Locked but hidden', memberIds: [], password: 'no-use-at-all' }));
    assert.equal(created?.code, 'validation_failed');
    assert.equal(created?.fields?.['password'], 'is only allowed on a public room (visibility "public")');
    const { chat } = await ok(sockets['ada']!, 'group:create', { name: 'Hidden', memberIds: [] });
    const updated = code(await rawCall(sockets['ada']!, 'group:update', { chatId: chat.id, password: 'no-use-at-all' }));
    assert.equal(updated?.fields?.['password'], 'is only allowed on a public room (visibility "public")');
    assert.equal((await t.server.storage.chats.byId(chat.id))?.passwordHash, null);
    assert.ok(!(await ok(sockets['ada']!, 'chat:list', {})).chats.some((c) => c.name === 'Locked but hidden'));
  });

  test('a direct chat has no group settings and cannot be left', async () => {
    const { chat } = await ok(sockets['ada']!, 'chat:open', { userId: dan.user.id });
    assert.equal(await failure(sockets['ada']!, 'group:update', { chatId: chat.id, name: 'x' }), 'forbidden');
    assert.equal(await failure(sockets['ada']!, 'group:leave', { chatId: chat.id }), 'forbidden');
    assert.equal(await failure(sockets['ada']!, 'group:join', { chatId: chat.id }), 'not_found');
  });
});
