/** How long the client waits and repeats; specs drive the clock with these. */
export const CHAT_TIMING = {
  ackTimeoutMs: 10_000,
  /** `typing: false` goes out after this long without a keystroke. */
  typingIdleMs: 2_000,
  /** While typing goes on, `typing: true` is repeated at most this often. */
  typingRepeatMs: 3_000,
  /** Someone else's typing line disappears if no update arrives within this time. */
  remoteTypingMs: 6_000,
  /** Back-off before resending after the server said it is busy. */
  retryBusyMs: 2_000,
  /** Retry of a failed token refresh when the server could not be reached. */
  refreshRetryMs: 10_000,
  /** A refresh holds a lock shared by all tabs; it must end even if the server never answers. */
  refreshTimeoutMs: 15_000,
  /** A live message past a hole waits this long for the missing ones before asking the server. */
  holeFillDelayMs: 1_000,
  /** Presence for someone unknown reloads the people list after this pause. */
  reloadUsersMs: 500,
  pageSize: 10,
  /**
   * The server's largest history page (MAX_PAGE_SIZE in the wire contract, not imported: that
   * would load zod with the first chunk, before zod-config.ts).
   */
  largestPage: 50,
} as const;
