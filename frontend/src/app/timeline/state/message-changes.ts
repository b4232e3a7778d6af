import type { Message } from '@shared';
import type { ChatMessage } from './chat-message';
import { applyLocalChange, type LocalChange } from './local-change';

/*
 * A stored message changes three ways: the server reports an edit, delete or reaction (live,
 * in a sync answer, or as the ack of ours), or we make one of our own that waits for its ack.
 * Of two states the server sent, the one with the higher changeSeq is the newer; ours are shown
 * on top of the newest stored state until the server acks or refuses them.
 */

/** The message as the server last stored it, without our pending changes on top. */
export function storedState(entry: ChatMessage): Message {
  if (entry.stored) return entry.stored;
  const { local: _l, error: _e, pendingChange: _p, changeError: _c, stored: _s, localChanges: _x, ...message } = entry;
  return message;
}

/** The entry with `changes` (ours, oldest first) shown over the stored state. */
function shown(stored: Message, changes: readonly LocalChange[], changeError?: string): ChatMessage {
  const base: ChatMessage = changeError ? { ...stored, changeError } : stored;
  if (changes.length === 0) return base;
  return { ...changes.reduce(applyLocalChange, base), stored, localChanges: changes, pendingChange: changes.at(-1)!.kind };
}

/** A newer stored state replaces the held one (ours stay on top); an older or the same one is ignored. */
export function withStoredState(entry: ChatMessage, incoming: Message): ChatMessage {
  if (entry.local || incoming.changeSeq <= storedState(entry).changeSeq) return entry;
  return shown(incoming, entry.localChanges ?? []);
}

/** Shows one more change of ours over the message. */
export function withLocalChange(entry: ChatMessage, change: LocalChange): ChatMessage {
  return shown(storedState(entry), [...(entry.localChanges ?? []), change]);
}

/**
 * The server answered one of our changes: acked with the message as it now is, or refused with
 * a reason (the change is taken back and the message says why).
 */
export function withSettledChange(entry: ChatMessage, changeId: string, answer: { acked: Message } | { refused: string }): ChatMessage {
  const held = storedState(entry);
  const stored = 'acked' in answer && answer.acked.changeSeq > held.changeSeq ? answer.acked : held;
  const rest = (entry.localChanges ?? []).filter((c) => c.id !== changeId);
  return shown(stored, rest, 'refused' in answer ? answer.refused : undefined);
}

/** How much of the original a quote shows (the server's quotes are as long). */
const QUOTE_PREVIEW = 140;

/** Replies quoting `original` follow its body and its deletion, as the server's quotes do. */
export function followQuotes(list: readonly ChatMessage[], original: Message): readonly ChatMessage[] {
  let changed = false;
  const next = list.map((m) => {
    if (m.replyTo?.messageId !== original.id) return m;
    const deleted = original.deletedAt !== null;
    const preview = deleted ? '' : Array.from(original.body).slice(0, QUOTE_PREVIEW).join('');
    if (m.replyTo.preview === preview && m.replyTo.deleted === deleted) return m;
    changed = true;
    return { ...m, replyTo: { ...m.replyTo, preview, deleted } };
  });
  return changed ? next : list;
}
