import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ChatSummary, ChatVisibility, OpenedChat, RoomSearchHit } from '../../shared/src/schemas/chats.js';
import type { HistoryPage, Message } from '../../shared/src/schemas/messages.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { assertApiError } from './support/api-error-assertions.js';
import { signUpPerson, type Person } from './support/rest-users.js';

const ROOM_PASSWORD_ATTEMPTS = 3;
let t: TestServer;
let counter = 0;

before(async () => {
  t = await startTestServer({ LOGIN_ATTEMPTS_PER_IP: 10_000, LOGIN_ATTEMPTS_PER_USERNAME: 10_000, ROOM_PASSWORD_ATTEMPTS });
});
after(() => t.close());

function person(prefix: string): Promise<Person> {
  return signUpPerson(t.url, `${prefix}_${++counter}`);
}

/** A group as POST /api/groups makes it: private unless `visibility` says public. */
async function createGroup(
  admin: Person,
  name: string,
  members: Person[] = [],
  options: { visibility?: ChatVisibility; password?: string } = {},
): Promise<ChatSummary> {
  const res = await admin.api.post('/api/groups').send({ name, memberIds: members.map((m) => m.user.id), ...options });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return (res.body as { chat: ChatSummary }).chat;
}

const PUBLIC = { visibility: 'public' } as const;
const UNKNOWN_GROUP_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

async function search(who: Person, query?: string): Promise<RoomSearchHit[]> {
  const res = await who.api.get('/api/groups').query(query === undefined ? {} : { query });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { rooms: RoomSearchHit[] }).rooms;
}

async function history(who: Person, chatId: string): Promise<HistoryPage> {
  const res = await who.api.get(`/api/chats/${chatId}/messages?limit=50`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as HistoryPage;
}

async function send(from: Person, chatId: string, body: string): Promise<Message> {
  const res = await from.api.post(`/api/chats/${chatId}/messages`).send({ clientId: randomUUID(), body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return (res.body as { message: Message }).message;
}

describe('creating groups', () => {
  test('201 with the chat: the creator is admin, the chosen users are members, and all of them see it', async () => {
    const [ann, bob, cat] = [await person('ann'), await person('bob'), await person('cat')];
    const chat = await createGroup(ann, '  Book club  ', [bob, cat]);
    assert.equal(chat.kind, 'group');
    assert.equal(chat.name, 'Book club');
    assert.equal(chat.hasPassword, false);
    const roles = Object.fromEntries(chat.members.map((m) => [m.userId, m.role]));
    assert.deepEqual(roles, { [ann.user.id]: 'admin', [bob.user.id]: 'member', [cat.user.id]: 'member' });

    for (const member of [bob, cat]) {
      const res = await member.api.get('/api/chats');
      assert.ok((res.body as { chats: ChatSummary[] }).chats.some((c) => c.id === chat.id));
    }
    const notices = (await history(bob, chat.id)).messages;
    assert.deepEqual(notices.map((m) => [m.kind, m.notice?.type]), [['notice', 'created']]);
  });

  test('a password is kept as a hash: the chat says only that there is one', async () => {
    const ann = await person('ann');
    const chat = await createGroup(ann, 'Locked', [], { ...PUBLIC, password: 'open-sesame' });
    assert.equal(chat.hasPassword, true);
    const text = JSON.stringify(chat);
    assert.equal(text.includes('open-sesame'), false);
    assert.equal(text.includes('$2b$'), false);
    const stored = await t.server.storage.chats.byId(chat.id);
    assert.match(stored?.passwordHash ?? '', /^\$2b\$/);
  });

  test('unknown member ids are 400 naming memberIds, and no group is created', async () => {
    const ann = await person('ann');
    const res = await ann.api.post('/api/groups').send({ name: 'Ghost town unique', memberIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] });
    assert.equal(assertApiError(res, 400, 'validation_failed').fields?.['memberIds'], 'contains users who do not exist');
    assert.equal((await search(ann, 'Ghost town unique')).length, 0);
  });

  test('a too short password is 400 with fields.password, and no group is created', async () => {
    const ann = await person('ann');
    const res = await ann.api.post('/api/groups').send({ name: 'Short pw unique', memberIds: [], visibility: 'public', password: 'abc' });
    assert.equal(assertApiError(res, 400, 'validation_failed').fields?.['password'], 'must be at least 4 characters');
    assert.equal((await search(ann, 'Short pw unique')).length, 0);
  });

  test('a group is private by default, and says so', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const chat = await createGroup(ann, 'Default private', [bob]);
    assert.equal(chat.visibility, 'private');
    const listed = ((await bob.api.get('/api/chats')).body as { chats: ChatSummary[] }).chats.find((c) => c.id === chat.id);
    assert.equal(listed?.visibility, 'private');
    assert.equal(((await bob.api.get(`/api/chats/${chat.id}`)).body as OpenedChat).chat.visibility, 'private');
    const room = await createGroup(ann, 'Chosen public', [], PUBLIC);
    assert.equal(room.visibility, 'public');
    const direct = await ann.api.post('/api/chats/direct').send({ userId: bob.user.id });
    assert.equal((direct.body as OpenedChat).chat.visibility, 'private');
  });

  test('a password is refused unless the group is public: 400 with fields.password, and no group is created', async () => {
    const ann = await person('ann');
    for (const body of [
      { name: 'Pw private unique', memberIds: [], password: 'long-enough' },
      { name: 'Pw private unique', memberIds: [], password: 'long-enough', visibility: 'private' },
    ]) {
      const res = await ann.api.post('/api/groups').send(body);
      const error = assertApiError(res, 400, 'validation_failed');
      assert.equal(error.fields?.['password'], 'is only allowed on a public room (visibility "public")');
    }
    const bad = await ann.api.post('/api/groups').send({ name: 'Pw private unique', memberIds: [], visibility: 'secret' });
    assert.equal(assertApiError(bad, 400, 'validation_failed').fields?.['visibility'], 'must be private or public');
    assert.deepEqual(((await ann.api.get('/api/chats')).body as { chats: ChatSummary[] }).chats, []);
  });
});

describe('searching groups', () => {
  test('finds groups by name with size, password flag and membership, never members', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const open = await createGroup(ann, 'Searchable Owls', [bob], PUBLIC);
    const locked = await createGroup(ann, 'Searchable Owls Locked', [], { ...PUBLIC, password: 'hoot-hoot' });
    const rooms = await search(bob, 'searchable owls');
    const byId = new Map(rooms.map((r) => [r.id, r]));
    assert.deepEqual(byId.get(open.id), { id: open.id, name: 'Searchable Owls', hasPassword: false, memberCount: 2, isMember: true });
    assert.deepEqual(byId.get(locked.id), { id: locked.id, name: 'Searchable Owls Locked', hasPassword: true, memberCount: 1, isMember: false });
    assert.equal((await search(bob, 'no such group name at all')).length, 0);
  });

  test('no query, or an empty one, lists every public group', async () => {
    const ann = await person('ann');
    const chat = await createGroup(ann, `Everyone ${randomUUID()}`, [], PUBLIC);
    assert.ok((await search(ann)).some((r) => r.id === chat.id));
    assert.ok((await search(ann, '')).some((r) => r.id === chat.id));
  });

  test('a private group is never listed: not to outsiders, not to its members, whatever the query', async () => {
    const [alice, bob, carol, dave] = [await person('alice'), await person('bob'), await person('carol'), await person('dave')];
    const name = `Team Lunch ${randomUUID()}`;
    const chat = await createGroup(alice, name, [bob, carol]);
    await send(alice, chat.id, 'where shall we eat?');
    for (const who of [dave, alice, bob]) {
      for (const query of [undefined, '', 'team lunch', name, name.toUpperCase()]) {
        assert.ok(!(await search(who, query)).some((r) => r.id === chat.id), `${who.user.username} searching ${String(query)}`);
      }
    }
  });
});

describe('joining', () => {
  test('an open group: anyone joins (200 OpenedChat), members hear about it, and joining again just opens it', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const chat = await createGroup(ann, 'Open house', [], PUBLIC);
    const res = await bob.api.post(`/api/groups/${chat.id}/join`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const opened = res.body as OpenedChat;
    assert.equal(opened.chat.id, chat.id);
    assert.ok(opened.chat.members.some((m) => m.userId === bob.user.id && m.role === 'member'));
    assert.deepEqual(opened.history.messages.map((m) => m.notice?.type), ['created', 'joined']);

    const again = await bob.api.post(`/api/groups/${chat.id}/join`).send({});
    assert.equal(again.status, 200);
    assert.equal((again.body as OpenedChat).chat.members.length, 2);
    await send(bob, chat.id, 'hi all');
  });

  test('wrong password is 403 wrong_password; after the allowed attempts 429 with Retry-After, even for the right one', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const chat = await createGroup(ann, 'Vault', [], { ...PUBLIC, password: 'right-password' });

    assertApiError(await bob.api.post(`/api/groups/${chat.id}/join`).send({}), 403, 'wrong_password');
    for (let i = 0; i < ROOM_PASSWORD_ATTEMPTS; i++) {
      assertApiError(await bob.api.post(`/api/groups/${chat.id}/join`).send({ password: `guess-${i}` }), 403, 'wrong_password');
    }
    const throttled = await bob.api.post(`/api/groups/${chat.id}/join`).send({ password: 'right-password' });
    assertApiError(throttled, 429, 'rate_limited');
    assert.ok(Number(throttled.headers['retry-after']) >= 1);

    assertApiError(await bob.api.get(`/api/chats/${chat.id}`), 404, 'not_found');
    assert.equal((await t.server.storage.members.list(chat.id)).length, 1);
  });

  test('the right password lets another user in', async () => {
    const [ann, bob, cat] = [await person('ann'), await person('bob'), await person('cat')];
    const chat = await createGroup(ann, 'Vault two', [], { ...PUBLIC, password: 'right-password' });
    assertApiError(await bob.api.post(`/api/groups/${chat.id}/join`).send({ password: 'wrong-password' }), 403, 'wrong_password');
    const res = await cat.api.post(`/api/groups/${chat.id}/join`).send({ password: 'right-password' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await cat.api.get(`/api/chats/${chat.id}`)).status, 200);
    const wrongThenRight = await bob.api.post(`/api/groups/${chat.id}/join`).send({ password: 'right-password' });
    assert.equal(wrongThenRight.status, 200, 'one wrong guess does not lock out');
  });

  test('an outsider joining a private group gets exactly the 404 of a chat that does not exist, with or without a password', async () => {
    const [alice, bob, carol, dave] = [await person('alice'), await person('bob'), await person('carol'), await person('dave')];
    const chat = await createGroup(alice, 'Team Lunch', [bob, carol]);
    await send(alice, chat.id, 'for the three of us');

    const answer = async (chatId: string, body?: object) => {
      const res = await dave.api.post(`/api/groups/${chatId}/join`).send(body);
      return { status: res.status, body: res.body as unknown, type: res.headers['content-type'], retryAfter: res.headers['retry-after'] };
    };
    const missing = await answer(UNKNOWN_GROUP_ID);
    assert.deepEqual(missing.body, { error: { code: 'not_found', message: 'Chat not found' } });
    assert.equal(missing.status, 404);
    for (const body of [undefined, {}, { password: 'a-guess' }]) {
      assert.deepEqual(await answer(chat.id, body), missing, `joining with ${JSON.stringify(body)}`);
      assert.deepEqual(await answer(UNKNOWN_GROUP_ID, body), missing);
    }
    // Guesses were never counted: no password throttle answers for the private group.
    for (let i = 0; i <= ROOM_PASSWORD_ATTEMPTS; i++) assert.deepEqual(await answer(chat.id, { password: `guess-${i}` }), missing);

    assert.equal(await t.server.storage.members.get(chat.id, dave.user.id), null);
    assertApiError(await dave.api.get(`/api/chats/${chat.id}/messages`), 404, 'not_found');
    assert.deepEqual((await history(alice, chat.id)).messages.map((m) => m.notice?.type ?? m.body), ['created', 'for the three of us']);
  });

  test('an admin adds someone to a private group: they get it and read its history', async () => {
    const [alice, bob, dave] = [await person('alice'), await person('bob'), await person('dave')];
    const chat = await createGroup(alice, 'Added only', [bob]);
    await send(bob, chat.id, 'before dave');
    const res = await alice.api.patch(`/api/groups/${chat.id}`).send({ addMemberIds: [dave.user.id] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((res.body as { chat: ChatSummary }).chat.visibility, 'private');
    const seen = (await history(dave, chat.id)).messages.map((m) => m.body);
    assert.ok(seen.includes('before dave'));
    const listed = ((await dave.api.get('/api/chats')).body as { chats: ChatSummary[] }).chats.find((c) => c.id === chat.id);
    assert.equal(listed?.visibility, 'private');
    // Joining a group one is in just opens it, private or not.
    assert.equal((await dave.api.post(`/api/groups/${chat.id}/join`)).status, 200);
    assert.ok(!(await search(dave, 'Added only')).some((r) => r.id === chat.id));
  });

  test('a public room is listed by search and joined by anyone signed in', async () => {
    const [alice, dave] = [await person('alice'), await person('dave')];
    const name = `Open room ${randomUUID()}`;
    const chat = await createGroup(alice, name, [], PUBLIC);
    const hit = (await search(dave, name.toLowerCase())).find((r) => r.id === chat.id);
    assert.deepEqual(hit, { id: chat.id, name, hasPassword: false, memberCount: 1, isMember: false });
    const res = await dave.api.post(`/api/groups/${chat.id}/join`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((res.body as OpenedChat).chat.visibility, 'public');
  });

  test('a direct chat cannot be joined: 404', async () => {
    const [ann, bob, eve] = [await person('ann'), await person('bob'), await person('eve')];
    const opened = await ann.api.post('/api/chats/direct').send({ userId: bob.user.id });
    assertApiError(await eve.api.post(`/api/groups/${(opened.body as OpenedChat).chat.id}/join`), 404, 'not_found');
  });
});

describe('changing a group', () => {
  test('an admin renames, makes public, adds, promotes and sets a password; each change is a notice', async () => {
    const [ann, bob, cat] = [await person('ann'), await person('bob'), await person('cat')];
    const chat = await createGroup(ann, 'Before', [bob]);
    const res = await ann.api
      .patch(`/api/groups/${chat.id}`)
      .send({ name: 'After', visibility: 'public', addMemberIds: [cat.user.id], promoteIds: [bob.user.id], password: 'new-secret' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const updated = (res.body as { chat: ChatSummary }).chat;
    assert.equal(updated.name, 'After');
    assert.equal(updated.visibility, 'public');
    assert.equal(updated.hasPassword, true);
    const roles = Object.fromEntries(updated.members.map((m) => [m.userId, m.role]));
    assert.deepEqual(roles, { [ann.user.id]: 'admin', [bob.user.id]: 'admin', [cat.user.id]: 'member' });
    const types = (await history(cat, chat.id)).messages.map((m) => m.notice?.type);
    assert.deepEqual(types, ['created', 'renamed', 'made_public', 'added', 'promoted']);

    const cleared = await bob.api.patch(`/api/groups/${chat.id}`).send({ password: null });
    assert.equal(cleared.status, 200);
    assert.equal((cleared.body as { chat: ChatSummary }).chat.hasPassword, false);
  });

  test('switching visibility is announced, and a private group never keeps a password', async () => {
    const [ann, bob, dave] = [await person('ann'), await person('bob'), await person('dave')];
    const name = `Switching ${randomUUID()}`;
    const chat = await createGroup(ann, name, [bob]);
    const patch = (body: object) => ann.api.patch(`/api/groups/${chat.id}`).send(body);

    const locked = assertApiError(await patch({ password: 'no-use-here' }), 400, 'validation_failed');
    assert.equal(locked.fields?.['password'], 'is only allowed on a public room (visibility "public")');
    assertApiError(await bob.api.patch(`/api/groups/${chat.id}`).send({ visibility: 'public' }), 403, 'forbidden');
    assert.ok(!(await search(dave, name)).some((r) => r.id === chat.id));

    const opened = await patch({ visibility: 'public', password: 'now-it-counts' });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    assert.equal((opened.body as { chat: ChatSummary }).chat.visibility, 'public');
    assert.deepEqual((await search(dave, name)).map((r) => [r.id, r.hasPassword]), [[chat.id, true]]);

    const keepsPassword = assertApiError(await patch({ visibility: 'private' }), 400, 'validation_failed');
    assert.equal(keepsPassword.fields?.['visibility'], 'private needs the password removed too (password: null)');
    assert.equal((await t.server.storage.chats.byId(chat.id))?.visibility, 'public', 'a refused change changes nothing');

    const closed = await patch({ visibility: 'private', password: null });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.equal((closed.body as { chat: ChatSummary }).chat.visibility, 'private');
    assert.equal((closed.body as { chat: ChatSummary }).chat.hasPassword, false);
    assert.ok(!(await search(dave, name)).some((r) => r.id === chat.id));
    assertApiError(await dave.api.post(`/api/groups/${chat.id}/join`).send({ password: 'now-it-counts' }), 404, 'not_found');

    // The same visibility again is no change and no notice.
    assert.equal((await patch({ visibility: 'private' })).status, 200);
    const notices = (await history(bob, chat.id)).messages.map((m) => [m.notice?.type, m.notice?.actorId]);
    assert.deepEqual(notices, [
      ['created', ann.user.id],
      ['made_public', ann.user.id],
      ['made_private', ann.user.id],
    ]);
  });

  test('a member who is not admin gets 403, an outsider 404; nothing changes', async () => {
    const [ann, bob, eve] = [await person('ann'), await person('bob'), await person('eve')];
    const chat = await createGroup(ann, 'Stays', [bob]);
    assertApiError(await bob.api.patch(`/api/groups/${chat.id}`).send({ name: 'Taken over' }), 403, 'forbidden');
    assertApiError(await eve.api.patch(`/api/groups/${chat.id}`).send({ name: 'Taken over' }), 404, 'not_found');
    const now = await ann.api.get(`/api/chats/${chat.id}`);
    assert.equal((now.body as OpenedChat).chat.name, 'Stays');
    assert.equal((now.body as OpenedChat).history.messages.length, 1);
  });

  test('removing a member takes the chat away from them', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const chat = await createGroup(ann, 'Shrinking', [bob]);
    const res = await ann.api.patch(`/api/groups/${chat.id}`).send({ removeMemberIds: [bob.user.id] });
    assert.equal(res.status, 200);
    assertApiError(await bob.api.get(`/api/chats/${chat.id}`), 404, 'not_found');
    assertApiError(await bob.api.post(`/api/chats/${chat.id}/messages`).send({ clientId: randomUUID(), body: 'still here?' }), 404, 'not_found');
  });

  test('the last admin cannot demote themselves: 409', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const chat = await createGroup(ann, 'Needs an admin', [bob]);
    assertApiError(await ann.api.patch(`/api/groups/${chat.id}`).send({ demoteIds: [ann.user.id] }), 409, 'conflict');
  });

  test('a direct chat has no settings: 403', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const opened = await ann.api.post('/api/chats/direct').send({ userId: bob.user.id });
    assertApiError(await ann.api.patch(`/api/groups/${(opened.body as OpenedChat).chat.id}`).send({ name: 'x' }), 403, 'forbidden');
  });
});

describe('leaving', () => {
  test('POST leave is 204; the leaver loses the chat, the others see a notice', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const chat = await createGroup(ann, 'Leaving', [bob]);
    const res = await bob.api.post(`/api/groups/${chat.id}/leave`);
    assert.equal(res.status, 204);
    assertApiError(await bob.api.get(`/api/chats/${chat.id}`), 404, 'not_found');
    assert.equal(((await bob.api.get('/api/chats')).body as { chats: ChatSummary[] }).chats.length, 0);
    assert.deepEqual((await history(ann, chat.id)).messages.map((m) => m.notice?.type), ['created', 'left']);
    assertApiError(await bob.api.post(`/api/groups/${chat.id}/leave`), 404, 'not_found');
  });

  test('the last admin with other members gets 409; once another is admin they may leave', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const chat = await createGroup(ann, 'Handover', [bob]);
    assertApiError(await ann.api.post(`/api/groups/${chat.id}/leave`), 409, 'conflict');
    assert.equal((await ann.api.patch(`/api/groups/${chat.id}`).send({ promoteIds: [bob.user.id] })).status, 200);
    assert.equal((await ann.api.post(`/api/groups/${chat.id}/leave`)).status, 204);
  });

  test('DELETE /api/chats/:id on a group means leaving it', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const chat = await createGroup(ann, 'Deleted by a member', [bob]);
    assert.equal((await bob.api.delete(`/api/chats/${chat.id}`)).status, 204);
    assert.equal((await t.server.storage.members.get(chat.id, bob.user.id)), null);
  });

  test('a direct chat cannot be left: 403', async () => {
    const [ann, bob] = [await person('ann'), await person('bob')];
    const opened = await ann.api.post('/api/chats/direct').send({ userId: bob.user.id });
    assertApiError(await ann.api.post(`/api/groups/${(opened.body as OpenedChat).chat.id}/leave`), 403, 'forbidden');
  });
});

describe('group messages', () => {
  test('members of three send and read; unread counts follow; outsiders see nothing of a public room until they join', async () => {
    const [ann, bob, cat, dan] = [await person('ann'), await person('bob'), await person('cat'), await person('dan')];
    const chat = await createGroup(ann, 'Trio', [bob, cat], PUBLIC);
    await send(ann, chat.id, 'from ann');
    const last = await send(bob, chat.id, 'from bob');

    const unread = async (who: Person) =>
      ((await who.api.get('/api/chats')).body as { chats: ChatSummary[] }).chats.find((c) => c.id === chat.id)?.unreadCount;
    // The `created` notice counts too, for everyone but its actor.
    assert.equal(await unread(cat), 3);
    assert.equal(await unread(bob), 2);
    assert.equal(await unread(ann), 1);
    assert.equal((await cat.api.post(`/api/chats/${chat.id}/read`).send({ upTo: last.id })).status, 204);
    assert.equal(await unread(cat), 0);

    assertApiError(await dan.api.get(`/api/chats/${chat.id}/messages`), 404, 'not_found');
    assert.equal((await dan.api.post(`/api/groups/${chat.id}/join`)).status, 200);
    const seen = (await history(dan, chat.id)).messages.map((m) => m.body);
    assert.ok(seen.includes('from ann') && seen.includes('from bob'));
  });
});
