import type { SearchHit } from '@shared';

/** A hit for specs: message `messageId` in `chatId`, its snippet "the deploy went fine" with "deploy" marked. */
export function aHit(messageId: string, chatId = 'chat-1', overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    messageId,
    chatId,
    chatKind: 'group',
    chatName: 'Ops',
    peerId: null,
    seq: 1,
    senderId: 'user-bruno',
    createdAt: '2026-03-02T10:00:00.000Z',
    editedAt: null,
    snippet: { text: 'the deploy went fine', ranges: [{ start: 4, end: 10 }] },
    ...overrides,
  };
}
