/**
 * The storage contract for changes to messages (MessageStore.change, byIds, reactionsOf,
 * changesAfter) and what they do to the chat list; run by run-storage-contract.ts.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { ConflictError } from '../errors.js';
import { newId } from '../ids.js';
import type { AppliedChange, ChatRecord, MessageChangeInput, Storage, UserRecord } from '../storage.js';
import { assertConflict, assertIsoDate, assertNotFound, assertPlainData } from './assertions.js';
import { createUsers, pause, sendText, unreadOf } from './fixtures.js';

/** Reads what the adapter really stored, below the port. */
export interface RawStoreReader {
  /** Every stored row or document that refers to the message (the message itself, its change log rows, its reactions), all fields as stored. */
  rowsOfMessage(messageId: string): Promise<unknown[]>;
}

const edit = (messageId: string, actorId: string, body: string): MessageChangeInput => ({ kind: 'edit', messageId, actorId, body });
const remove = (messageId: string, actorId: string, by: 'sender' | 'admin' = 'sender'): MessageChangeInput => ({
  kind: 'delete',
  messageId,
  actorId,
  by,
});
const react = (messageId: string, actorId: string, emoji: string, on = true): MessageChangeInput => ({
  kind: 'react',
  messageId,
  actorId,
  emoji,
  on,
});

/** The change positions taken, in order, leaving out the changes that changed nothing. */
const positions = (applied: AppliedChange[]) =>
  applied
    .map((change) => change.changeSeq)
    .filter((seq): seq is number => seq !== null)
    .sort((a, b) => a - b);
const oneTo = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

/**
 * `current` gives the fresh storage of the running test, `raw` a reader of what it stored
 * (required: the tombstone tests read below the port).
 */
export function describeMessageChangeContract(current: () => Storage, raw: () => RawStoreReader | undefined): void {
  describe('message changes', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

    async function directChat(): Promise<{ chat: ChatRecord; a: UserRecord; b: UserRecord }> {
      const [a, b] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      return { chat, a, b };
    }

    it('a new message is unchanged: no edit, no delete, no reply, changeSeq 0; a new chat has lastChangeSeq 0', async () => {
      const { chat, a } = await directChat();
      assert.equal(chat.lastChangeSeq, 0);
      const message = await sendText(storage, chat.id, a.id, 'fresh');
      assert.equal(message.editedAt, null);
      assert.equal(message.deletedAt, null);
      assert.equal(message.deletedBy, null);
      assert.equal(message.replyToId, null);
      assert.equal(message.changeSeq, 0);
      assert.deepEqual(await storage.messages.byId(message.id), message);
      assert.equal((await storage.chats.byId(chat.id))?.lastChangeSeq, 0);
      assert.deepEqual(await storage.messages.changesAfter(chat.id, 0, 10), []);
      assert.deepEqual(await storage.messages.reactionsOf([message.id]), []);
    });

    it('stores replyToId and reads it back through every reader', async () => {
      const { chat, a, b } = await directChat();
      const original = await sendText(storage, chat.id, a.id, 'question');
      const reply = await storage.messages.append({
        chatId: chat.id,
        kind: 'text',
        senderId: b.id,
        clientId: 'reply-1',
        body: 'answer',
        notice: null,
        replyToId: original.id,
      });
      assert.equal(reply.replyToId, original.id);
      assert.equal((await storage.messages.byId(reply.id))?.replyToId, original.id);
      assert.equal((await storage.messages.bySenderClientId(b.id, 'reply-1'))?.replyToId, original.id);
      assert.deepEqual(
        (await storage.messages.after(chat.id, 0, 10)).map((message) => message.replyToId),
        [null, original.id],
      );
      assert.deepEqual(
        (await storage.messages.before(chat.id, null, 10)).map((message) => message.replyToId),
        [null, original.id],
      );
      assert.equal((await storage.chats.entryForUser(chat.id, a.id))?.lastMessage?.replyToId, original.id);
      const explicitNone = await storage.messages.append({ chatId: chat.id, kind: 'text', senderId: a.id, clientId: 'c-2', body: 'x', notice: null, replyToId: null });
      assert.equal(explicitNone.replyToId, null);
    });

    it('edit replaces the body, sets editedAt, takes changeSeq 1 and moves the chat’s lastChangeSeq; the same body again changes nothing', async () => {
      const { chat, a } = await directChat();
      const message = await sendText(storage, chat.id, a.id, 'typo');
      const edited = await storage.messages.change(chat.id, edit(message.id, a.id, 'fixed'));
      assert.equal(edited.changeSeq, 1);
      assert.equal(edited.message.body, 'fixed');
      assert.equal(edited.message.changeSeq, 1);
      assertIsoDate(edited.message.editedAt!);
      assert.equal(edited.message.deletedAt, null);
      assert.deepEqual({ ...edited.message, body: message.body, editedAt: null, changeSeq: 0 }, message, 'nothing else changes');
      assert.deepEqual(await storage.messages.byId(message.id), edited.message);
      assertPlainData(edited);
      assert.equal((await storage.chats.byId(chat.id))?.lastChangeSeq, 1);
      assert.equal((await storage.chats.byId(chat.id))?.lastSeq, 1, 'a change is not a message');

      const [logged] = await storage.messages.changesAfter(chat.id, 0, 10);
      assert.deepEqual(logged, { chatId: chat.id, changeSeq: 1, messageId: message.id, kind: 'edit', actorId: a.id, at: edited.message.editedAt });
      assertPlainData(logged);

      const again = await storage.messages.change(chat.id, edit(message.id, a.id, 'fixed'));
      assert.equal(again.changeSeq, null);
      assert.deepEqual(again.message, edited.message);
      assert.equal((await storage.chats.byId(chat.id))?.lastChangeSeq, 1, 'no change position used up');

      await pause(2);
      const twice = await storage.messages.change(chat.id, edit(message.id, a.id, 'fixed again'));
      assert.equal(twice.changeSeq, 2);
      assert.equal(twice.message.body, 'fixed again');
      assert.ok(twice.message.editedAt! > edited.message.editedAt!, 'editedAt moves');
      assert.equal((await storage.messages.byId(message.id))?.body, 'fixed again');
    });

    it('delete erases the body, sets deletedAt and deletedBy, drops the reactions; a second delete changes nothing', async () => {
      const { chat, a, b } = await directChat();
      const message = await sendText(storage, chat.id, a.id, 'regret');
      await storage.messages.change(chat.id, react(message.id, b.id, '👍'));
      await storage.messages.change(chat.id, react(message.id, a.id, '😂'));
      const deleted = await storage.messages.change(chat.id, remove(message.id, b.id, 'admin'));
      assert.equal(deleted.changeSeq, 3);
      assert.equal(deleted.message.body, '');
      assertIsoDate(deleted.message.deletedAt!);
      assert.equal(deleted.message.deletedBy, 'admin');
      assert.equal(deleted.message.changeSeq, 3);
      assert.equal(deleted.message.seq, message.seq, 'the tombstone keeps its place');
      assert.deepEqual(await storage.messages.byId(message.id), deleted.message);
      assert.deepEqual(await storage.messages.reactionsOf([message.id]), [], 'its reactions are gone');
      assert.deepEqual((await storage.messages.after(chat.id, 0, 10)).map((m) => [m.id, m.body]), [[message.id, '']]);

      const again = await storage.messages.change(chat.id, remove(message.id, a.id));
      assert.equal(again.changeSeq, null);
      assert.deepEqual(again.message, deleted.message);
      assert.equal((await storage.chats.byId(chat.id))?.lastChangeSeq, 3);
      assert.deepEqual(
        (await storage.messages.changesAfter(chat.id, 0, 10)).map((change) => [change.changeSeq, change.kind, change.actorId]),
        [
          [1, 'react', b.id],
          [2, 'react', a.id],
          [3, 'delete', b.id],
        ],
      );
    });

    it('a deleted message’s body is gone from the store itself, log and reactions included', async () => {
      const reader = raw();
      assert.ok(reader, 'the adapter’s test must give a raw reader');
      const { chat, a, b } = await directChat();
      const secret = `secret-${newId()}`;
      const edited = `edited-${newId()}`;
      const message = await sendText(storage, chat.id, a.id, secret);
      assert.ok(JSON.stringify(await reader.rowsOfMessage(message.id)).includes(secret), 'the reader sees the stored body');
      await storage.messages.change(chat.id, edit(message.id, a.id, edited));
      assert.ok(JSON.stringify(await reader.rowsOfMessage(message.id)).includes(edited), 'the reader sees the edited body');
      await storage.messages.change(chat.id, react(message.id, b.id, '🔥'));
      await storage.messages.change(chat.id, remove(message.id, a.id));
      const rows = JSON.stringify(await reader.rowsOfMessage(message.id));
      assert.ok(rows.includes(message.id));
      assert.ok(!rows.includes(secret), 'the original body is not stored');
      assert.ok(!rows.includes(edited), 'the edited body is not stored');
      assert.ok(!rows.includes('🔥'), 'the reaction is not stored');
    });

    it('edit and reaction of a deleted message are refused with ConflictError(deleted), using up nothing', async () => {
      const { chat, a, b } = await directChat();
      const message = await sendText(storage, chat.id, a.id);
      await storage.messages.change(chat.id, react(message.id, b.id, '👍'));
      await storage.messages.change(chat.id, remove(message.id, a.id));
      await assertConflict(storage.messages.change(chat.id, edit(message.id, a.id, 'back')), 'deleted');
      await assertConflict(storage.messages.change(chat.id, react(message.id, a.id, '👍')), 'deleted');
      await assertConflict(storage.messages.change(chat.id, react(message.id, b.id, '👍', false)), 'deleted');
      assert.equal((await storage.chats.byId(chat.id))?.lastChangeSeq, 2);
      assert.equal((await storage.messages.byId(message.id))?.body, '');
      assert.deepEqual(await storage.messages.reactionsOf([message.id]), []);
    });

    it('react adds or removes one (user, emoji); saying it again changes nothing', async () => {
      const { chat, a, b } = await directChat();
      const message = await sendText(storage, chat.id, a.id);
      const on = await storage.messages.change(chat.id, react(message.id, b.id, '👍'));
      assert.equal(on.changeSeq, 1);
      assert.equal(on.message.changeSeq, 1);
      assert.equal(on.message.body, message.body);
      assert.equal(on.message.editedAt, null);
      assert.equal((await storage.messages.change(chat.id, react(message.id, b.id, '👍'))).changeSeq, null);
      const [reaction] = await storage.messages.reactionsOf([message.id]);
      assert.deepEqual({ ...reaction, createdAt: '' }, { messageId: message.id, userId: b.id, emoji: '👍', createdAt: '' });
      assertIsoDate(reaction!.createdAt);
      assertPlainData(reaction);

      assert.equal((await storage.messages.change(chat.id, react(message.id, a.id, '👍'))).changeSeq, 2, 'another user, same emoji');
      assert.equal((await storage.messages.change(chat.id, react(message.id, b.id, '❤️'))).changeSeq, 3, 'same user, another emoji');
      assert.equal((await storage.messages.reactionsOf([message.id])).length, 3);

      const off = await storage.messages.change(chat.id, react(message.id, b.id, '👍', false));
      assert.equal(off.changeSeq, 4);
      assert.equal(off.message.changeSeq, 4);
      assert.equal((await storage.messages.change(chat.id, react(message.id, b.id, '👍', false))).changeSeq, null);
      assert.equal((await storage.messages.change(chat.id, react(message.id, b.id, '🎉', false))).changeSeq, null, 'never there');
      assert.deepEqual(
        (await storage.messages.reactionsOf([message.id])).map((r) => [r.userId, r.emoji]),
        [
          [a.id, '👍'],
          [b.id, '❤️'],
        ],
      );
      assert.equal((await storage.messages.byId(message.id))?.changeSeq, 4);
      assert.equal((await storage.chats.byId(chat.id))?.lastChangeSeq, 4);
      assert.deepEqual(
        (await storage.messages.changesAfter(chat.id, 0, 10)).map((change) => change.kind),
        ['react', 'react', 'react', 'react'],
      );
    });

    it('reactionsOf gives the reactions of the messages asked for, oldest first per message', async () => {
      const { chat, a, b } = await directChat();
      const [c] = await createUsers(storage, 1);
      const first = await sendText(storage, chat.id, a.id);
      const second = await sendText(storage, chat.id, b.id);
      const untouched = await sendText(storage, chat.id, b.id);
      const order: Array<[string, string, string]> = [
        [second.id, c.id, '🙂'],
        [first.id, b.id, '👍'],
        [second.id, a.id, '👍'],
        [first.id, a.id, '🎉'],
        [second.id, a.id, '🙂'],
        [first.id, c.id, '👍'],
      ];
      for (const [messageId, userId, emoji] of order) await storage.messages.change(chat.id, react(messageId, userId, emoji));
      // Taken off and put back: it is now the newest of its message.
      await storage.messages.change(chat.id, react(first.id, b.id, '👍', false));
      await storage.messages.change(chat.id, react(first.id, b.id, '👍'));

      const reactions = await storage.messages.reactionsOf([second.id, first.id, untouched.id, newId()]);
      assert.equal(reactions.length, 6);
      const of = (messageId: string) => reactions.filter((r) => r.messageId === messageId).map((r) => [r.userId, r.emoji]);
      assert.deepEqual(of(first.id), [
        [a.id, '🎉'],
        [c.id, '👍'],
        [b.id, '👍'],
      ]);
      assert.deepEqual(of(second.id), [
        [c.id, '🙂'],
        [a.id, '👍'],
        [a.id, '🙂'],
      ]);
      for (const messageId of [first.id, second.id]) {
        const dates = reactions.filter((r) => r.messageId === messageId).map((r) => r.createdAt);
        assert.deepEqual(dates, [...dates].sort(), 'createdAt never goes back');
      }
      assert.deepEqual(await storage.messages.reactionsOf([first.id]), reactions.filter((r) => r.messageId === first.id));
      assert.deepEqual(await storage.messages.reactionsOf([]), []);
    });

    it('changeSeq is 1, 2, 3… per chat, apart from seq, and a message keeps the position of its newest change', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const one = (await storage.chats.openDirect(a.id, b.id)).chat;
      const two = (await storage.chats.openDirect(a.id, c.id)).chat;
      const m1 = await sendText(storage, one.id, a.id);
      const m2 = await sendText(storage, one.id, b.id);
      const n1 = await sendText(storage, two.id, c.id);

      const taken = [
        await storage.messages.change(one.id, edit(m1.id, a.id, 'e1')),
        await storage.messages.change(two.id, react(n1.id, a.id, '👍')),
        await storage.messages.change(one.id, react(m2.id, a.id, '👍')),
        await storage.messages.change(one.id, edit(m1.id, a.id, 'e2')),
        await storage.messages.change(two.id, edit(n1.id, c.id, 'e3')),
        await storage.messages.change(one.id, react(m1.id, b.id, '👍')),
      ].map((applied) => applied.changeSeq);
      assert.deepEqual(taken, [1, 1, 2, 3, 2, 4]);

      assert.equal((await storage.messages.byId(m1.id))?.changeSeq, 4);
      assert.equal((await storage.messages.byId(m2.id))?.changeSeq, 2);
      assert.equal((await storage.messages.byId(n1.id))?.changeSeq, 2);
      assert.deepEqual(
        (await storage.messages.after(one.id, 0, 10)).map((message) => [message.seq, message.changeSeq]),
        [
          [1, 4],
          [2, 2],
        ],
      );
      const chatOne = await storage.chats.byId(one.id);
      assert.equal(chatOne?.lastChangeSeq, 4);
      assert.equal(chatOne?.lastSeq, 2);
      assert.equal((await storage.chats.byId(two.id))?.lastChangeSeq, 2);
      assert.equal((await storage.chats.entryForUser(one.id, b.id))?.chat.lastChangeSeq, 4);
      const listed = await storage.chats.listForUser(a.id);
      assert.deepEqual(
        listed.map((entry) => [entry.chat.id, entry.chat.lastChangeSeq]).sort(),
        [
          [one.id, 4],
          [two.id, 2],
        ].sort(),
      );
      assert.deepEqual(
        (await storage.messages.changesAfter(one.id, 0, 10)).map((change) => [change.changeSeq, change.messageId, change.kind]),
        [
          [1, m1.id, 'edit'],
          [2, m2.id, 'react'],
          [3, m1.id, 'edit'],
          [4, m1.id, 'react'],
        ],
      );
    });

    it('a message of another chat, or no message, is NotFoundError, using up nothing', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const mine = (await storage.chats.openDirect(a.id, b.id)).chat;
      const other = (await storage.chats.openDirect(a.id, c.id)).chat;
      const elsewhere = await sendText(storage, other.id, c.id, 'not yours');
      await sendText(storage, mine.id, a.id);
      for (const change of [edit(elsewhere.id, c.id, 'x'), remove(elsewhere.id, c.id), react(elsewhere.id, a.id, '👍')]) {
        await assertNotFound(storage.messages.change(mine.id, change));
      }
      await assertNotFound(storage.messages.change(mine.id, edit(newId(), a.id, 'x')));
      await assertNotFound(storage.messages.change(newId(), edit(elsewhere.id, c.id, 'x')));
      const untouched = await storage.messages.byId(elsewhere.id);
      assert.equal(untouched?.body, 'not yours');
      assert.equal(untouched?.deletedAt, null);
      assert.equal(untouched?.changeSeq, 0);
      assert.deepEqual(await storage.messages.reactionsOf([elsewhere.id]), []);
      assert.equal((await storage.chats.byId(mine.id))?.lastChangeSeq, 0);
      assert.equal((await storage.chats.byId(other.id))?.lastChangeSeq, 0);
    });

    it('changesAfter pages in change order, within the chat', async () => {
      const { chat, a, b } = await directChat();
      const [c] = await createUsers(storage, 1);
      const other = (await storage.chats.openDirect(a.id, c.id)).chat;
      const noise = await sendText(storage, other.id, c.id);
      const messages = [await sendText(storage, chat.id, a.id), await sendText(storage, chat.id, b.id)];
      for (let i = 0; i < 7; i += 1) {
        await storage.messages.change(chat.id, edit(messages[i % 2]!.id, i % 2 ? b.id : a.id, `v${i}`));
        await storage.messages.change(other.id, edit(noise.id, c.id, `n${i}`));
      }
      const seqs = async (after: number, limit: number) => (await storage.messages.changesAfter(chat.id, after, limit)).map((change) => change.changeSeq);
      assert.deepEqual(await seqs(0, 3), [1, 2, 3]);
      assert.deepEqual(await seqs(3, 3), [4, 5, 6]);
      assert.deepEqual(await seqs(6, 3), [7]);
      assert.deepEqual(await seqs(7, 3), []);
      assert.deepEqual(await seqs(2, 100), [3, 4, 5, 6, 7]);
      const all = await storage.messages.changesAfter(chat.id, 0, 100);
      assert.ok(all.every((change) => change.chatId === chat.id));
      assert.deepEqual(
        all.map((change) => [change.messageId, change.actorId]),
        oneTo(7).map((_, i) => [messages[i % 2]!.id, i % 2 ? b.id : a.id]),
      );
      const dates = all.map((change) => change.at);
      dates.forEach(assertIsoDate);
      assert.deepEqual(dates, [...dates].sort(), 'later positions are never dated earlier');
      assert.deepEqual(await storage.messages.changesAfter(newId(), 0, 10), []);
    });

    it('byIds gives the messages that exist, as they are now', async () => {
      const { chat, a, b } = await directChat();
      const m1 = await sendText(storage, chat.id, a.id, 'one');
      const m2 = await sendText(storage, chat.id, b.id, 'two');
      await sendText(storage, chat.id, b.id, 'three');
      const edited = (await storage.messages.change(chat.id, edit(m2.id, b.id, 'two!'))).message;
      const found = await storage.messages.byIds([m2.id, newId(), m1.id, m1.id]);
      assert.deepEqual(
        [...found].sort((x, y) => x.seq - y.seq),
        [m1, edited],
      );
      assert.deepEqual(await storage.messages.byIds([]), []);
      assert.deepEqual(await storage.messages.byIds([newId()]), []);
      assertPlainData(found);
    });

    it('unread counts leave deleted messages out', async () => {
      const { chat, a, b } = await directChat();
      const m1 = await sendText(storage, chat.id, a.id);
      await sendText(storage, chat.id, a.id);
      const m3 = await sendText(storage, chat.id, a.id);
      const own = await sendText(storage, chat.id, b.id);
      assert.equal(await unreadOf(storage, chat.id, b.id), 3);
      await storage.messages.change(chat.id, remove(m1.id, a.id));
      assert.equal(await unreadOf(storage, chat.id, b.id), 2);
      await storage.messages.change(chat.id, edit(m3.id, a.id, 'still unread'));
      await storage.messages.change(chat.id, react(m3.id, b.id, '👍'));
      assert.equal(await unreadOf(storage, chat.id, b.id), 2, 'edits and reactions do not count');
      await storage.messages.change(chat.id, remove(own.id, b.id));
      await storage.messages.change(chat.id, remove(m3.id, a.id, 'admin'));
      assert.equal(await unreadOf(storage, chat.id, b.id), 1);
      assert.equal((await storage.chats.listForUser(b.id)).find((entry) => entry.chat.id === chat.id)?.unreadCount, 1);
      assert.equal(await unreadOf(storage, chat.id, a.id), 0);
    });

    it('the chat list’s last message follows an edit and a delete', async () => {
      const { chat, a, b } = await directChat();
      await sendText(storage, chat.id, a.id, 'older');
      const last = await sendText(storage, chat.id, b.id, 'newest');
      const edited = (await storage.messages.change(chat.id, edit(last.id, b.id, 'newest, edited'))).message;
      assert.deepEqual((await storage.chats.entryForUser(chat.id, a.id))?.lastMessage, edited);
      assert.deepEqual((await storage.chats.listForUser(a.id))[0]?.lastMessage, edited);
      await storage.messages.change(chat.id, react(last.id, a.id, '👍'));
      const deleted = (await storage.messages.change(chat.id, remove(last.id, b.id))).message;
      const entry = await storage.chats.entryForUser(chat.id, a.id);
      assert.deepEqual(entry?.lastMessage, deleted);
      assert.equal(entry?.lastMessage?.body, '');
      assert.notEqual(entry?.lastMessage?.deletedAt, null);
      assert.deepEqual((await storage.chats.listForUser(b.id))[0]?.lastMessage, deleted);
      assert.equal(entry?.chat.lastChangeSeq, 3);
    });

    it('erasing a deleted user’s messages takes their reactions along; keeping them keeps the reactions', async () => {
      const [gone, kept, stays] = await createUsers(storage, 3);
      const chat = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: stays.id, memberIds: [gone.id, kept.id] });
      const erased = await sendText(storage, chat.id, gone.id);
      const keptMessage = await sendText(storage, chat.id, kept.id);
      await storage.messages.change(chat.id, react(erased.id, stays.id, '👍'));
      await storage.messages.change(chat.id, react(keptMessage.id, stays.id, '👍'));
      await storage.messages.detachSender(kept.id, 'keep');
      await storage.messages.detachSender(gone.id, 'erase');
      assert.deepEqual(await storage.messages.reactionsOf([erased.id]), []);
      assert.deepEqual((await storage.messages.reactionsOf([keptMessage.id])).map((r) => r.userId), [stays.id]);
      assert.equal((await storage.messages.byId(keptMessage.id))?.changeSeq, 2);
    });

    it('concurrent reactions and edits by many writers all take distinct, gap-free positions, and none is lost', async () => {
      const users = await createUsers(storage, 30);
      const sender = users[0];
      const chat = await storage.chats.createGroup({ name: 'Busy', passwordHash: null, creatorId: sender.id, memberIds: users.map((u) => u.id) });
      const hot = await sendText(storage, chat.id, sender.id, 'react to me');
      const edited = await sendText(storage, chat.id, sender.id, 'edit me');
      const quiet = await sendText(storage, chat.id, users[1].id, 'me too');

      const reactions = users.map((user) => storage.messages.change(chat.id, react(hot.id, user.id, '👍')));
      const edits = Array.from({ length: 6 }, (_, i) => storage.messages.change(chat.id, edit(edited.id, sender.id, `version ${i}`)));
      const others = users.slice(0, 10).map((user, i) => storage.messages.change(chat.id, react(quiet.id, user.id, i % 2 ? '🎉' : '🙂')));
      const applied = await Promise.all([...reactions, ...edits, ...others]);
      const total = reactions.length + edits.length + others.length;

      assert.deepEqual(positions(applied), oneTo(total), 'every change has its own position, none skipped');
      assert.equal((await storage.chats.byId(chat.id))?.lastChangeSeq, total);
      const log = await storage.messages.changesAfter(chat.id, 0, 1000);
      assert.deepEqual(
        log.map((change) => change.changeSeq),
        oneTo(total),
      );
      assert.equal(log.filter((change) => change.messageId === hot.id).length, 30);

      const hotReactions = await storage.messages.reactionsOf([hot.id]);
      assert.deepEqual(hotReactions.map((r) => r.userId).sort(), users.map((u) => u.id).sort(), 'no reaction is lost');
      assert.equal((await storage.messages.reactionsOf([quiet.id])).length, 10);

      // Each message carries the position of its newest change, and the body of its newest edit.
      const newestOf = (messageId: string) => Math.max(...log.filter((change) => change.messageId === messageId).map((c) => c.changeSeq));
      const [hotNow, editedNow, quietNow] = await Promise.all([hot, edited, quiet].map((m) => storage.messages.byId(m.id)));
      assert.equal(hotNow?.changeSeq, newestOf(hot.id));
      assert.equal(quietNow?.changeSeq, newestOf(quiet.id));
      assert.equal(editedNow?.changeSeq, newestOf(edited.id));
      const lastEdit = applied
        .slice(reactions.length, reactions.length + edits.length)
        .reduce((newest, change) => ((change.changeSeq ?? 0) > (newest.changeSeq ?? 0) ? change : newest));
      assert.equal(editedNow?.body, lastEdit.message.body);
      assert.equal(hotNow?.body, 'react to me');
    });

    it('a delete racing edits and reactions ends deleted, with no body and no reactions, whatever the interleaving', async () => {
      const users = await createUsers(storage, 4);
      const [sender, ...others] = users;
      const chat = await storage.chats.createGroup({ name: 'Race', passwordHash: null, creatorId: sender.id, memberIds: users.map((u) => u.id) });
      const reader = raw();
      assert.ok(reader, 'the adapter’s test must give a raw reader');

      const rounds: Array<(messageId: string) => Array<Promise<AppliedChange>>> = [
        (id) => [storage.messages.change(chat.id, edit(id, sender.id, 'e-first')), storage.messages.change(chat.id, remove(id, sender.id))],
        (id) => [storage.messages.change(chat.id, remove(id, sender.id)), storage.messages.change(chat.id, edit(id, sender.id, 'e-second'))],
        (id) => [
          ...Array.from({ length: 5 }, (_, i) => storage.messages.change(chat.id, edit(id, sender.id, `e-many-${i}`))),
          storage.messages.change(chat.id, remove(id, sender.id, 'admin')),
          ...Array.from({ length: 5 }, (_, i) => storage.messages.change(chat.id, edit(id, sender.id, `e-more-${i}`))),
        ],
        (id) => [
          ...others.map((user) => storage.messages.change(chat.id, react(id, user.id, '👍'))),
          storage.messages.change(chat.id, remove(id, sender.id)),
          ...others.map((user) => storage.messages.change(chat.id, react(id, user.id, '❤️'))),
          storage.messages.change(chat.id, edit(id, sender.id, 'e-mixed')),
        ],
        (id) => [
          storage.messages.change(chat.id, edit(id, sender.id, 'e-early')),
          pause(1).then(() => storage.messages.change(chat.id, remove(id, sender.id))),
          pause(1).then(() => storage.messages.change(chat.id, edit(id, sender.id, 'e-late'))),
          new Promise<void>((resolve) => setImmediate(resolve)).then(() => storage.messages.change(chat.id, edit(id, sender.id, 'e-next'))),
        ],
        (id) => [
          storage.messages.change(chat.id, remove(id, sender.id)),
          storage.messages.change(chat.id, remove(id, sender.id, 'admin')),
          storage.messages.change(chat.id, edit(id, sender.id, 'e-double')),
        ],
      ];

      const taken: number[] = [];
      for (const [index, round] of rounds.entries()) {
        for (let repeat = 0; repeat < 3; repeat += 1) {
          const body = `original-${index}-${repeat}-${newId()}`;
          const message = await sendText(storage, chat.id, sender.id, body);
          const settled = await Promise.allSettled(round(message.id));
          const applied: AppliedChange[] = [];
          for (const outcome of settled) {
            if (outcome.status === 'fulfilled') applied.push(outcome.value);
            else assert.ok(outcome.reason instanceof ConflictError && outcome.reason.field === 'deleted', `refused only as deleted: ${String(outcome.reason)}`);
          }
          const deletes = applied.filter((change) => change.message.deletedAt !== null && change.changeSeq !== null && change.message.body === '');
          assert.ok(deletes.length >= 1, `round ${index}: a delete took a position`);
          taken.push(...positions(applied));

          const now = await storage.messages.byId(message.id);
          assert.ok(now, `round ${index}`);
          assert.notEqual(now.deletedAt, null, `round ${index}.${repeat}: the message ends deleted`);
          assert.equal(now.body, '', `round ${index}.${repeat}: with no body`);
          assert.ok(now.deletedBy === 'sender' || now.deletedBy === 'admin');
          assert.deepEqual(await storage.messages.reactionsOf([message.id]), [], `round ${index}.${repeat}: and no reactions`);
          const stored = JSON.stringify(await reader.rowsOfMessage(message.id));
          assert.ok(!stored.includes(body) && !stored.includes('"e-'), `round ${index}.${repeat}: no body stored`);
          const log = (await storage.messages.changesAfter(chat.id, 0, 10_000)).filter((change) => change.messageId === message.id);
          assert.equal(now.changeSeq, Math.max(...log.map((change) => change.changeSeq)), `round ${index}.${repeat}: changeSeq of the newest change`);
          // Two deletes at the same instant may both take a position on a store without transactions;
          // the message keeps the first one's tombstone.
          const firstDelete = log.find((change) => change.kind === 'delete');
          assert.ok(firstDelete, `round ${index}.${repeat}: the delete is logged`);
          assert.equal(now.deletedAt, firstDelete.at, `round ${index}.${repeat}: the first delete’s tombstone`);
        }
      }
      // Every position handed out is logged once; a change refused after it took one (a store
      // without transactions sees the delete late) leaves its row, so the log may hold more.
      const all = (await storage.messages.changesAfter(chat.id, 0, 10_000)).map((change) => change.changeSeq);
      assert.deepEqual(all, oneTo(all.length), 'gap-free across every round');
      assert.equal(new Set(taken).size, taken.length, 'no position handed out twice');
      assert.ok(taken.every((seq) => all.includes(seq)), 'every position handed out is logged');
      assert.equal((await storage.chats.byId(chat.id))?.lastChangeSeq, all.length);
    });
  });
}
