/**
 * The attached fast path: a subscription's result that the transport does
 * not iterate, but attaches to its socket (docs/event-stream.md, "The
 * transport module").
 *
 * tRPC's adapters iterate a subscription's async iterable: a promise waits
 * for the next item of every stream, and every item is serialised once per
 * recipient. A stream that carries `[ATTACH]` is instead given an outlet,
 * and its producer (the hub, for the event stream) calls `send` with each
 * item as it is routed: nothing waits while it is idle, and the transport
 * writes the item's kept serialisation (wire.ts). Anything else (tRPC's own
 * adapters, a server-side caller) still iterates it, so such a stream must be
 * an async iterable of `tracked(id, item)` too, and say the same there.
 *
 * The marker is a registered symbol (`Symbol.for`), a protocol like
 * `Symbol.asyncIterator`: a stream defined below this module (in @chat/api)
 * carries it without importing the transport.
 */

/** The property an attachable stream carries: `stream[ATTACH](outlet)` starts it into `outlet`. */
export const ATTACH: unique symbol = Symbol.for('chat.trpc-transport.attach') as never;

/** How an attached stream ended by itself (not stopped by its transport). */
export interface AttachedEnd {
  /** It failed: the client is told this error (mapped by the transport's `streamError`), then `stopped`. */
  error?: unknown;
  /**
   * Its socket's session ended: the client is told nothing more on this
   * stream, and a WebSocket is closed with 4401 (an SSE stream says `return`).
   */
  sessionEnded: boolean;
}

/** Where an attached stream's items go: the transport's framing of `tracked(id, item)`. */
export interface StreamOutlet {
  /**
   * Sends one item, which must not change afterwards (its text is kept,
   * wire.ts); false when the transport takes no more (its client stopped
   * reading and was cut): the stream then ends (`ended` follows).
   */
  send(trackedId: string, item: object): boolean;
  /** Called once, when the stream ended by itself; never after `stop()`. */
  ended(end: AttachedEnd): void;
}

/** A started stream, as `[ATTACH]` returns it. */
export interface AttachedStream {
  /** Ends the stream without a word to its outlet (the client stopped it, or its socket closed). */
  stop(): void;
}

export interface AttachableStream {
  [ATTACH](outlet: StreamOutlet): AttachedStream;
}

export function isAttachable(value: unknown): value is AttachableStream {
  return (
    typeof value === 'object' && value !== null && typeof (value as Partial<AttachableStream>)[ATTACH] === 'function'
  );
}
