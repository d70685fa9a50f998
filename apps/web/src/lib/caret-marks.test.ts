import { describe, expect, it } from 'vitest';
import { deleteIntoEmptyMark, openMarksAt, toggleAtCaret, wrapTyped } from './caret-marks';
import type { Mark } from './compose-marks';

/** `|` in the text stands for the caret. */
function at(marked: string): [string, number] {
  return [marked.replace('|', ''), marked.indexOf('|')];
}

function press(marked: string, mark: Mark, pending: Mark[] = []) {
  const [value, caret] = at(marked);
  return toggleAtCaret(value, caret, mark, pending);
}

describe('openMarksAt', () => {
  it('reads the marks open at the caret, outermost first', () => {
    expect(openMarksAt(...at('**bo|ld**'))).toEqual(['bold']);
    expect(openMarksAt(...at('***x|***'))).toEqual(['bold', 'italic']);
    expect(openMarksAt(...at('***x*|**'))).toEqual(['bold']);
    expect(openMarksAt(...at('**bold**|'))).toEqual([]);
    expect(openMarksAt(...at('*a **b|** c*'))).toEqual(['italic', 'bold']);
    expect(openMarksAt(...at('~~gone|~~'))).toEqual(['strike']);
    expect(openMarksAt(...at('`a *b|`'))).toEqual(['code']);
    expect(openMarksAt(...at('2 * 3 = |'))).toEqual([]);
  });
});

describe('toggleAtCaret', () => {
  it('starts a mark as pending, and the same key again drops it', () => {
    expect(press('hello |', 'bold')).toEqual({ kind: 'pending', pending: ['bold'] });
    expect(press('hello |', 'bold', ['bold'])).toEqual({ kind: 'pending', pending: [] });
  });

  it('at the end of a mark steps the caret out of it', () => {
    expect(press('**bold|**', 'bold')).toEqual({ kind: 'move', caret: 8, pending: [] });
    expect(press('*it|*', 'italic')).toEqual({ kind: 'move', caret: 4, pending: [] });
    // Nested: the one pressed ends, the other goes on.
    expect(press('***x|***', 'italic')).toEqual({ kind: 'move', caret: 5, pending: [] });
    expect(press('***x|***', 'bold')).toEqual({ kind: 'move', caret: 6, pending: [] });
    // An outer mark ends: the inner one is opened again for what follows.
    expect(press('**~~x|~~**', 'bold')).toEqual({ kind: 'move', caret: 9, pending: ['strike'] });
  });

  it('just after a mark goes back into it; inside one pends a split', () => {
    expect(press('**bold**|', 'bold')).toEqual({ kind: 'move', caret: 6, pending: [] });
    expect(press('**bo|ld**', 'bold')).toEqual({ kind: 'pending', pending: ['bold'] });
  });

  it('takes out an empty mark around the caret', () => {
    expect(press('a **|**', 'bold')).toEqual({ kind: 'remove', from: 2, to: 6, caret: 2, pending: [] });
    expect(press('**|bold**', 'bold')).toEqual({ kind: 'move', caret: 0, pending: [] });
  });
});

describe('wrapTyped', () => {
  it('writes the pending marks around the typed text, the caret inside them', () => {
    expect(wrapTyped('x', ['bold'])).toEqual({ insert: '**x**', caret: 3 });
    expect(wrapTyped('x', ['bold', 'italic'])).toEqual({ insert: '***x***', caret: 4 });
  });
});

describe('deleteIntoEmptyMark', () => {
  it('deletes the last letter of a mark with its markers, keeping the marks pending', () => {
    expect(deleteIntoEmptyMark(...at('a **x|**'))).toEqual({ from: 2, to: 7, pending: ['bold'] });
    expect(deleteIntoEmptyMark(...at('***x|***'))).toEqual({ from: 0, to: 7, pending: ['bold', 'italic'] });
    expect(deleteIntoEmptyMark(...at('**xy|**'))).toBeNull();
    expect(deleteIntoEmptyMark(...at('ab|'))).toBeNull();
  });
});
