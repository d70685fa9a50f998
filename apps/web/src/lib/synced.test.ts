import { describe, expect, it } from 'vitest';
import { createSynced } from './synced';

/** A load the test finishes by hand. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const add = (n: number) => (list: number[]) => (list.includes(n) ? list : [...list, n]);
const drop = (n: number) => (list: number[]) => list.filter((x) => x !== n);

describe('createSynced', () => {
  it('replays changes made during a load on top of its result', async () => {
    const load = deferred<number[]>();
    const synced = createSynced<number[]>([], () => load.promise);
    const loading = synced.reload();
    expect(synced.status()).toBe('loading');
    synced.update(add(2)); // an event that the load may not have seen
    synced.update(drop(1)); // and one that undoes what the load did see
    load.resolve([1]);
    await loading;
    expect(synced.value()).toEqual([2]);
    expect(synced.status()).toBe('ready');

    synced.update(add(3)); // no load in flight: applied once, not remembered
    expect(synced.value()).toEqual([2, 3]);
  });

  it('keeps only the newest of overlapping loads', async () => {
    const first = deferred<number[]>();
    const second = deferred<number[]>();
    const loads = [first, second];
    const synced = createSynced<number[]>([], () => (loads.shift() ?? first).promise);
    const a = synced.reload();
    synced.update(add(5));
    const b = synced.reload();
    second.resolve([2]);
    await b;
    first.resolve([1]);
    await a;
    expect(synced.value()).toEqual([2, 5]);
  });

  it('reports a failed load and keeps what it had; reset forgets a load in flight', async () => {
    const synced = createSynced<number[]>([], () => Promise.reject(new Error('offline')));
    synced.update(add(1));
    await synced.reload();
    expect(synced.status()).toBe('failed');
    expect(synced.error()).toBeInstanceOf(Error);
    expect(synced.value()).toEqual([1]);

    const late = deferred<number[]>();
    const other = createSynced<number[]>([], () => late.promise);
    const loading = other.reload();
    other.reset();
    late.resolve([9]);
    await loading;
    expect(other.value()).toEqual([]);
    expect(other.status()).toBe('idle');
  });
});
