import { createRoot, createSignal, onCleanup } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createKeeper } from './kept';

/** A value that records when its root is disposed. */
function thing(name: string, disposed: string[]) {
  onCleanup(() => disposed.push(name));
  return { name };
}

/** Uses `key` in a component-like root; returns the value and a way to close that "page". */
function open<T>(use: () => T): { value: T; close(): void } {
  return createRoot((close) => ({ value: use(), close }));
}

describe('createKeeper', () => {
  it('gives a closed page its value back, and lets go of the oldest past the limit', () => {
    const disposed: string[] = [];
    const keeper = createKeeper<{ name: string }>(2);
    const use = (key: string) =>
      keeper.use(
        key,
        () => thing(key, disposed),
        () => true,
      );

    const a = open(() => use('a'));
    a.close();
    const again = open(() => use('a'));
    expect(again.value).toBe(a.value);
    again.close();
    for (const key of ['b', 'c']) open(() => use(key)).close();
    expect(disposed).toEqual(['a']);
    expect(open(() => use('a')).value).not.toBe(a.value);
  });

  it('makes a new one when the kept one does not fit, and keeps none that `keep` refuses', () => {
    const disposed: string[] = [];
    const keeper = createKeeper<{ name: string }>(4);
    const first = open(() =>
      keeper.use(
        'a',
        () => thing('a1', disposed),
        () => true,
      ),
    );
    first.close();
    const second = open(() =>
      keeper.use(
        'a',
        () => thing('a2', disposed),
        () => false,
      ),
    );
    expect(second.value.name).toBe('a2');
    expect(disposed).toEqual(['a1']);
    const third = open(() =>
      keeper.use(
        'b',
        () => thing('b', disposed),
        () => true,
        () => false,
      ),
    );
    third.close();
    expect(disposed).toEqual(['a1', 'b']);
    keeper.clear();
    expect(disposed).toEqual(['a1', 'b']);
    second.close();
    keeper.clear();
    expect(disposed).toEqual(['a1', 'b', 'a2']);
  });

  it('lets go of everything kept when its owner changes (another user signed in)', () => {
    const disposed: string[] = [];
    const [owner, setOwner] = createSignal('ann');
    const keeper = createKeeper<{ name: string }>(4, owner);
    const use = () =>
      keeper.use(
        'a',
        () => thing('a', disposed),
        () => true,
      );
    const first = open(use);
    first.close();
    expect(keeper.has('a')).toBe(true);
    setOwner('bob');
    expect(keeper.has('a')).toBe(false);
    expect(disposed).toEqual(['a']);
    const again = open(use);
    expect(again.value).not.toBe(first.value);
  });
});
