/**
 * The storage contract for message search (MessageStore.search, rebuildSearchIndex); run by
 * run-storage-contract.ts. Terms reach the store normalised (search-text.ts), as the use case
 * hands them over; the chats are the ones the use case found the caller may read.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { searchText } from '../search-text.js';
import type { ChatRecord, MessageSearch, MessageRecord, Storage, UserRecord } from '../storage.js';
import { createUsers, notice, sendText } from './fixtures.js';

export function describeSearchContract(current: () => Storage): void {
  describe('message search', () => {
    let storage: Storage;
    let a: UserRecord;
    let b: UserRecord;
    let chat: ChatRecord;

    beforeEach(async () => {
      storage = current();
      [a, b] = await createUsers(storage, 2);
      ({ chat } = await storage.chats.openDirect(a.id, b.id));
    });

    function query(terms: string[], overrides: Partial<MessageSearch> = {}): MessageSearch {
      return {
        chatIds: [chat.id],
        terms: terms.map(searchText),
        senderId: null,
        createdFrom: null,
        createdBefore: null,
        after: null,
        limit: 20,
        ...overrides,
      };
    }

    async function found(terms: string[], overrides: Partial<MessageSearch> = {}): Promise<string[]> {
      const page = await storage.messages.search(query(terms, overrides));
      return page.messages.map((message) => message.body);
    }

    it('finds partial words, newest first, as the stored records', async () => {
      const first = await sendText(storage, chat.id, a.id, 'We deployed on Monday');
      await sendText(storage, chat.id, b.id, 'lunch?');
      const second = await sendText(storage, chat.id, b.id, 'It was redeployed at noon');
      const page = await storage.messages.search(query(['deploy']));
      assert.deepEqual(page.messages, [second, first]);
      assert.equal(page.next, null);
    });

    it('folds case and accents the same way for the body and the term (French, German, Cyrillic)', async () => {
      await sendText(storage, chat.id, a.id, 'Le CAFÉ était fermé cet été');
      await sendText(storage, chat.id, a.id, 'Übermorgen spielen wir Fußball');
      await sendText(storage, chat.id, a.id, 'Развёртывание завтра');
      assert.deepEqual(await found(['cafe', 'ETAIT']), ['Le CAFÉ était fermé cet été']);
      assert.deepEqual(await found(['ete']), ['Le CAFÉ était fermé cet été']);
      assert.deepEqual(await found(['ubermorgen', 'FUẞBALL']), ['Übermorgen spielen wir Fußball']);
      assert.deepEqual(await found(['РАЗВЕРТЫВАНИЕ']), ['Развёртывание завтра']);
      assert.deepEqual(await found(['fussball']), []);
    });

    it('finds Chinese, Japanese and Korean text without spaces', async () => {
      await sendText(storage, chat.id, a.id, '我们明天部署新版本');
      await sendText(storage, chat.id, a.id, '東京でデプロイしました');
      await sendText(storage, chat.id, a.id, '내일 배포합니다');
      assert.deepEqual(await found(['明天部署']), ['我们明天部署新版本']);
      assert.deepEqual(await found(['デプロイ']), ['東京でデプロイしました']);
      assert.deepEqual(await found(['배포합']), ['내일 배포합니다']);
      assert.deepEqual(await found(['がっこう']), []);
    });

    it('needs every term; a phrase matches as written, across any whitespace', async () => {
      await sendText(storage, chat.id, a.id, 'release notes for the\nnew   version');
      await sendText(storage, chat.id, a.id, 'version notes');
      assert.deepEqual(await found(['notes', 'release']), ['release notes for the\nnew   version']);
      assert.deepEqual(await found(['the new version']), ['release notes for the\nnew   version']);
      assert.deepEqual(await found(['new the version']), []);
      assert.deepEqual(await found(['notes', 'missing']), []);
    });

    it('checks terms shorter than the index against the body too', async () => {
      await sendText(storage, chat.id, a.id, 'deploy to eu');
      await sendText(storage, chat.id, a.id, 'deploy to us');
      assert.deepEqual(await found(['deploy', 'eu']), ['deploy to eu']);
    });

    it('reads FTS and regex syntax as plain text', async () => {
      const body = 'He said "yes" * to NEAR(a, b) ^start key:value (x) AND OR NOT [a-z]+ .* $1 \\d';
      await sendText(storage, chat.id, a.id, body);
      await sendText(storage, chat.id, a.id, 'nothing special here, yes or no');
      for (const term of ['"yes"', '"ye', '* to', 'near(a', '^start', 'key:value', '(x)', 'and or not', 'AND', 'OR NOT', '[a-z]+', '.* $1', '$1 \\d']) {
        assert.deepEqual(await found([term]), [body], `term ${term}`);
      }
      for (const term of ['yes OR nothing', 'NOT here', '"yes" AND', 'NEAR(yes nothing)', 'es*', '.*e', 'a|b']) {
        assert.deepEqual(await found([term]), [], `term ${term}`);
      }
    });

    it('looks only in the chats given, never at notices', async () => {
      const [c] = await createUsers(storage, 1);
      const other = await storage.chats.createGroup({ name: 'Ops', passwordHash: null, creatorId: a.id, memberIds: [c.id] });
      await sendText(storage, other.id, c.id, 'deploy from the group');
      await storage.messages.append(notice(other.id, a.id, { type: 'renamed', actorId: a.id, name: 'deploy team' }));
      await sendText(storage, chat.id, a.id, 'deploy from the direct chat');
      assert.deepEqual(await found(['deploy']), ['deploy from the direct chat']);
      assert.deepEqual(await found(['deploy'], { chatIds: [other.id] }), ['deploy from the group']);
      assert.deepEqual((await found(['deploy'], { chatIds: [chat.id, other.id] })).sort(), ['deploy from the direct chat', 'deploy from the group']);
      assert.deepEqual(await found(['deploy'], { chatIds: [] }), []);
    });

    it('filters by sender and by time', async () => {
      const mine = await sendText(storage, chat.id, a.id, 'deploy by a');
      await sendText(storage, chat.id, b.id, 'deploy by b');
      assert.deepEqual(await found(['deploy'], { senderId: a.id }), ['deploy by a']);
      assert.deepEqual(await found(['deploy'], { createdBefore: mine.createdAt }), []);
      assert.deepEqual(await found(['deploy'], { createdFrom: mine.createdAt, senderId: b.id }), ['deploy by b']);
      const later = new Date(Date.parse(mine.createdAt) + 3_600_000).toISOString();
      assert.deepEqual(await found(['deploy'], { createdFrom: later }), []);
      assert.equal((await found(['deploy'], { createdBefore: later })).length, 2);
    });

    it('an edited message matches its new body only; a deleted or erased one matches nothing', async () => {
      const edited = await sendText(storage, chat.id, a.id, 'the old wording');
      const deleted = await sendText(storage, chat.id, a.id, 'secret wording to delete');
      await sendText(storage, chat.id, b.id, 'wording by b');
      await storage.messages.change(chat.id, { kind: 'edit', messageId: edited.id, actorId: a.id, body: 'the new phrasing' });
      await storage.messages.change(chat.id, { kind: 'delete', messageId: deleted.id, actorId: a.id, by: 'sender' });
      assert.deepEqual(await found(['old']), []);
      assert.deepEqual(await found(['phrasing']), ['the new phrasing']);
      assert.deepEqual(await found(['secret']), []);
      assert.deepEqual(await found(['wording']), ['wording by b']);
      await storage.messages.detachSender(b.id, 'erase');
      assert.deepEqual(await found(['wording']), []);
    });

    it('pages with `after`: every match once, newest first', async () => {
      const sent: MessageRecord[] = [];
      for (let i = 1; i <= 5; i += 1) {
        sent.push(await sendText(storage, chat.id, i % 2 ? a.id : b.id, `deploy number ${i}`));
        await sendText(storage, chat.id, a.id, `noise ${i}`);
      }
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await storage.messages.search(query(['deploy'], { limit: 2, after }));
        assert.ok(page.messages.length <= 2);
        seen.push(...page.messages.map((message) => message.id));
        after = page.next;
        pages += 1;
      } while (after !== null && pages < 10);
      assert.deepEqual(seen, sent.map((message) => message.id).reverse());
      assert.equal(pages, 3);
    });

    it('rebuildSearchIndex indexes every stored message again and counts them', async () => {
      await sendText(storage, chat.id, a.id, 'deploy one');
      const gone = await sendText(storage, chat.id, a.id, 'deploy two');
      await storage.messages.change(chat.id, { kind: 'delete', messageId: gone.id, actorId: a.id, by: 'sender' });
      await storage.messages.append(notice(chat.id, a.id, { type: 'renamed', actorId: a.id, name: 'deploy' }));
      const counts: number[] = [];
      const indexed = await storage.messages.rebuildSearchIndex((count) => counts.push(count));
      assert.ok(indexed >= 1);
      assert.ok(counts.length > 0);
      assert.deepEqual(await found(['deploy']), ['deploy one']);
    });
  });
}
