/**
 * What a load message carries: the sender's wall-clock send time (ms, with
 * fractions), so the receiver can compute end-to-end delivery latency, and
 * padding to the chosen size. Every process reads the same system clock.
 */
const PREFIX = 'load:';

export function now(): number {
  return performance.timeOrigin + performance.now();
}

export function encodeBody(sentAt: number, size: number): string {
  const head = `${PREFIX}${sentAt.toFixed(3)} `;
  return head + 'x'.repeat(Math.max(1, size - head.length));
}

/** The send time in a load message's body, or undefined for any other message. */
export function decodeSentAt(body: string | null): number | undefined {
  if (!body?.startsWith(PREFIX)) return undefined;
  const end = body.indexOf(' ', PREFIX.length);
  const value = Number(body.slice(PREFIX.length, end < 0 ? undefined : end));
  return Number.isFinite(value) ? value : undefined;
}
