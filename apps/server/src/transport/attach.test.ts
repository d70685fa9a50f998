import { EventStream, ATTACH as STREAM_ATTACH } from '@chat/api/server';
import { describe, expect, it } from 'vitest';
import { ATTACH, isAttachable } from './attach';

describe('the attached fast path marker', () => {
  it('is the symbol the event stream carries, so events.stream is attached, not iterated', () => {
    // Both sides name the registered symbol: a typo on either would serve the stream the slow way, silently.
    expect(STREAM_ATTACH).toBe(ATTACH);
    expect(isAttachable(Object.create(EventStream.prototype))).toBe(true);
    expect(isAttachable((async function* () {})())).toBe(false);
  });
});
