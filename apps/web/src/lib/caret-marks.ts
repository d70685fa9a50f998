/**
 * Marks pressed with nothing selected, pure. A word processor's rule: the
 * shortcut pressed inside a mark ends it (the caret steps out), pressed
 * elsewhere starts it for what is typed next. A mark that is started is
 * kept *pending* (not written) until a letter is typed, and written around
 * that letter; so a mark pressed and never typed into leaves nothing in the
 * text, and no empty `****` can be sent. (Writing the empty pair at once, as
 * before, left `**bold** plain****` behind: issue 24.)
 */
import type { Mark } from './compose-marks';

export const MARKERS: Record<Mark, string> = { bold: '**', italic: '*', strike: '~~', code: '`' };

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);

/** Applies one run of `*` (bold is two, italic one) to the open marks, as the composer writes them. */
function applyStars(open: Mark[], length: number): void {
  const has = (m: Mark) => open.includes(m);
  const drop = (m: Mark) => open.splice(open.lastIndexOf(m), 1);
  let left = length;
  while (left > 0) {
    if (left >= 3 && has('bold') && has('italic')) {
      drop('italic');
      drop('bold');
      left -= 3;
    } else if (left >= 2 && has('bold')) {
      drop('bold');
      left -= 2;
    } else if (left >= 2) {
      open.push('bold');
      left -= 2;
    } else if (has('italic')) {
      drop('italic');
      left -= 1;
    } else {
      open.push('italic');
      left -= 1;
    }
  }
}

/**
 * The marks open at `caret`, outermost first: the paragraph's marker runs
 * before it, read as the composer writes them. A run with spaces on both
 * sides (`2 * 3`) is text; inside `code` nothing is a mark.
 */
export function openMarksAt(value: string, caret: number): Mark[] {
  const paragraph = value.lastIndexOf('\n\n', caret - 1);
  const open: Mark[] = [];
  let i = paragraph < 0 ? 0 : paragraph + 2;
  while (i < caret) {
    const c = value[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (open.at(-1) === 'code') {
      if (c === '`') open.pop();
      i += 1;
      continue;
    }
    if (c === '`') {
      open.push('code');
      i += 1;
      continue;
    }
    if (c !== '*' && c !== '~') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < caret && value[j] === c) j++;
    const literal = isSpace(value[i - 1]) && isSpace(value[j]) && j < caret;
    if (!literal && c === '*') applyStars(open, j - i);
    if (!literal && c === '~') {
      for (let n = 0; n + 2 <= j - i; n += 2) {
        if (open.includes('strike')) open.splice(open.lastIndexOf('strike'), 1);
        else open.push('strike');
      }
    }
    i = j;
  }
  return open;
}

/** The closing marker of which open mark starts at `at` (preferring `wanted` where the stars allow either). */
function closerAt(value: string, at: number, open: Mark[], wanted: Mark): Mark | null {
  const c = value[at];
  if (open.at(-1) === 'code') return c === '`' ? 'code' : null;
  if (c === '~') return value[at + 1] === '~' && open.includes('strike') ? 'strike' : null;
  if (c !== '*') return null;
  const two = value[at + 1] === '*';
  if (wanted === 'bold' && two && open.includes('bold')) return 'bold';
  if (open.includes('italic')) return 'italic';
  return two && open.includes('bold') ? 'bold' : null;
}

/**
 * Where the caret goes to leave `mark` forwards: past the closing markers
 * right after it, up to and including `mark`'s. The marks closed on the way
 * (inner ones) are to be opened again, outermost first. Null when the caret
 * is not at `mark`'s end.
 */
function stepOut(value: string, caret: number, open: Mark[], mark: Mark): { caret: number; reopen: Mark[] } | null {
  const still = [...open];
  const closed: Mark[] = [];
  let at = caret;
  for (;;) {
    const closer = closerAt(value, at, still, mark);
    if (!closer) return null;
    at += MARKERS[closer].length;
    still.splice(still.lastIndexOf(closer), 1);
    if (closer === mark) return { caret: at, reopen: closed.reverse() };
    closed.push(closer);
  }
}

/** Whether the characters just before `caret` are the marker that opened `mark`. */
function openedRightBefore(value: string, caret: number, mark: Mark): boolean {
  const marker = MARKERS[mark];
  const from = caret - marker.length;
  return from >= 0 && value.slice(from, caret) === marker && !openMarksAt(value, from).includes(mark);
}

/** Whether the characters just before `caret` are the marker that closed `mark`. */
function closedRightBefore(value: string, caret: number, mark: Mark): boolean {
  const marker = MARKERS[mark];
  const from = caret - marker.length;
  return from >= 0 && value.slice(from, caret) === marker && openMarksAt(value, from).includes(mark);
}

export type CaretToggle =
  /** The caret moves (out of a mark, or back into one): the text stays. */
  | { kind: 'move'; caret: number; pending: Mark[] }
  /** An empty mark around the caret is taken out: `value` is the text without it. */
  | { kind: 'remove'; from: number; to: number; caret: number; pending: Mark[] }
  /** Nothing moves: the mark is pending for what is typed next (or no longer pending). */
  | { kind: 'pending'; pending: Mark[] };

/** `mark`'s shortcut with the caret at `caret` and nothing selected; `pending` is what was pressed before. */
export function toggleAtCaret(value: string, caret: number, mark: Mark, pending: Mark[]): CaretToggle {
  if (pending.includes(mark)) return { kind: 'pending', pending: pending.filter((m) => m !== mark) };
  const open = openMarksAt(value, caret);
  const n = MARKERS[mark].length;
  if (open.includes(mark)) {
    const out = stepOut(value, caret, open, mark);
    const empty = openedRightBefore(value, caret, mark);
    if (out && empty && out.reopen.length === 0) {
      return { kind: 'remove', from: caret - n, to: caret + n, caret: caret - n, pending };
    }
    if (out) return { kind: 'move', caret: out.caret, pending: [...pending, ...out.reopen] };
    if (empty) return { kind: 'move', caret: caret - n, pending };
  } else if (closedRightBefore(value, caret, mark)) {
    // Just after the mark's end: back inside it, so pressing twice is undone by a third.
    return { kind: 'move', caret: caret - n, pending };
  }
  // Started here, or (inside it) ended here: either way typed text goes between a pair of markers.
  return { kind: 'pending', pending: [...pending, mark] };
}

/** What typing `text` with `pending` marks writes, and where in it the caret ends (after `text`). */
export function wrapTyped(text: string, pending: Mark[]): { insert: string; caret: number } {
  const opening = pending.map((m) => MARKERS[m]).join('');
  const closing = [...pending]
    .reverse()
    .map((m) => MARKERS[m])
    .join('');
  return { insert: `${opening}${text}${closing}`, caret: opening.length + text.length };
}

/**
 * Backspace at `caret` deleting the last letter of a mark (`**x|**`): the
 * range to delete (the letter and the now empty marks around it) and the
 * marks that stay pending, outermost first, as a word processor keeps the
 * style. Null when the deletion leaves no empty mark.
 */
export function deleteIntoEmptyMark(
  value: string,
  caret: number,
): { from: number; to: number; pending: Mark[] } | null {
  if (caret < 1) return null;
  let text = value.slice(0, caret - 1) + value.slice(caret);
  let at = caret - 1;
  let from = caret - 1;
  let to = caret;
  const removed: Mark[] = [];
  for (;;) {
    const open = openMarksAt(text, at);
    const inner = open.at(-1);
    if (!inner || !openedRightBefore(text, at, inner)) break;
    const out = stepOut(text, at, open, inner);
    if (!out || out.reopen.length > 0 || out.caret !== at + MARKERS[inner].length) break;
    const n = MARKERS[inner].length;
    text = text.slice(0, at - n) + text.slice(at + n);
    at -= n;
    from -= n;
    to += n;
    removed.unshift(inner);
  }
  return removed.length > 0 ? { from, to, pending: removed } : null;
}
