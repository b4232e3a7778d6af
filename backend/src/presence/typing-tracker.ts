import type { LiveUpdates } from '../live-updates.js';

/** A typing indicator the client does not renew or clear goes away after this long. */
export const TYPING_TIMEOUT_MS = 5000;

interface Typing {
  chatId: string;
  userId: string;
  socketId: string | undefined;
  timer: NodeJS.Timeout;
}

/**
 * Who is typing where. The server, not the client, guarantees that an indicator ends: after
 * 5 s without a renewal, when the user says they stopped, or when the socket that started it
 * disconnects. Only changes are sent (`chat:typing` to the chat's room, not back to the typing socket).
 */
export class TypingTracker {
  private readonly typing = new Map<string, Typing>();

  constructor(
    private readonly live: LiveUpdates,
    private readonly timeoutMs = TYPING_TIMEOUT_MS,
  ) {}

  started(chatId: string, userId: string, socketId: string | undefined): void {
    const key = keyOf(chatId, userId);
    const current = this.typing.get(key);
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => this.stopped(chatId, userId), this.timeoutMs);
    timer.unref();
    this.typing.set(key, { chatId, userId, socketId, timer });
    if (!current) this.announce(chatId, userId, true, socketId);
  }

  stopped(chatId: string, userId: string): void {
    const key = keyOf(chatId, userId);
    const current = this.typing.get(key);
    if (!current) return;
    clearTimeout(current.timer);
    this.typing.delete(key);
    this.announce(chatId, userId, false, current.socketId);
  }

  /** The socket closed: whatever it was typing ends now. */
  socketClosed(socketId: string): void {
    for (const entry of [...this.typing.values()]) {
      if (entry.socketId === socketId) this.stopped(entry.chatId, entry.userId);
    }
  }

  /** Drops every timer without announcing anything (server shutdown). */
  clear(): void {
    for (const entry of this.typing.values()) clearTimeout(entry.timer);
    this.typing.clear();
  }

  private announce(chatId: string, userId: string, typing: boolean, socketId: string | undefined): void {
    this.live.toChat(chatId, 'chat:typing', { chatId, userId, typing }, socketId ? { exceptSocketId: socketId } : {});
  }
}

function keyOf(chatId: string, userId: string): string {
  return `${chatId}:${userId}`;
}
