/** socketio-auth 0.1.1 ships no types; this declares the part we use. */
declare module 'socketio-auth' {
  namespace socketIOAuth {
    interface Options<S> {
      /**
       * Decides whether the socket may in. Call back `(null, value)` to accept (the library then
       * emits `authenticated` with `value`), `(error)` to refuse (it emits `unauthorized` with the message).
       */
      authenticate(socket: S, data: unknown, callback: (error: Error | null, success?: unknown) => void): void;
      /** Runs right after `authenticated` was emitted. */
      postAuthenticate?(socket: S, data: unknown): void;
      /** Runs on every disconnect, authenticated or not. */
      disconnect?(socket: S): void;
      /** Milliseconds to wait for authentication before disconnecting; 'none' waits forever. Default 1000. */
      timeout?: number | 'none';
    }
  }

  /** Adds the authentication handshake to every connection of `io`. */
  function socketIOAuth<S>(io: { on(event: 'connection', listener: (socket: S) => void): unknown }, options: socketIOAuth.Options<S>): void;
  export = socketIOAuth;
}
