/**
 * The composer's formatting as edits of its field: the toolbar and shortcuts
 * (a selection is wrapped or unwrapped, lib/compose-marks.ts; with nothing
 * selected the caret steps out of a mark or the mark waits for the next
 * letter, lib/caret-marks.ts), typing into a pending mark, and Backspace over
 * a mark's last letter. Every change goes through the browser's own editing
 * (`execCommand`), so Undo takes it back as one step.
 */
import { createSignal, onCleanup } from 'solid-js';
import { deleteIntoEmptyMark, openMarksAt, toggleAtCaret, wrapTyped } from '../../lib/caret-marks';
import { type Mark, toggleMark } from '../../lib/compose-marks';

export interface MarkEditingOptions {
  field(): HTMLTextAreaElement | undefined;
  blocked(): boolean;
  /** The field's text changed (by an edit made here). */
  onChange(value: string): void;
}

/** Marks pressed for the next letter: valid only while the text and the caret are as they were. */
interface Pending {
  value: string;
  caret: number;
  marks: Mark[];
}

export function createMarkEditing(options: MarkEditingOptions) {
  const [pending, setPending] = createSignal<Pending | null>(null);
  /** The caret (and text) as last seen, for the buttons' pressed state. */
  const [caretSeen, setCaretSeen] = createSignal(0);

  const collapsedCaret = (el: HTMLTextAreaElement) =>
    el.selectionStart === el.selectionEnd ? el.selectionStart : null;

  const livePending = (): Mark[] => {
    const p = pending();
    const el = options.field();
    if (!p || !el || el.value !== p.value || collapsedCaret(el) !== p.caret) return [];
    return p.marks;
  };

  const note = () => setCaretSeen((n) => n + 1);
  const onSelectionChange = () => {
    if (document.activeElement === options.field()) note();
  };
  document.addEventListener('selectionchange', onSelectionChange);
  onCleanup(() => document.removeEventListener('selectionchange', onSelectionChange));

  /** Replaces `[from, to)` with `text` as one edit of the field, then puts the caret/selection at `[start, end)`. */
  const replace = (from: number, to: number, text: string, start: number, end = start) => {
    const el = options.field();
    if (!el) return;
    const expected = el.value.slice(0, from) + text + el.value.slice(to);
    el.focus();
    el.setSelectionRange(from, to);
    const done = text ? document.execCommand('insertText', false, text) : document.execCommand('delete');
    if (!done || el.value !== expected) el.value = expected;
    options.onChange(el.value);
    el.setSelectionRange(start, end);
  };

  /** Replaces the whole text by `value` as the smallest edit (the common head and tail kept). */
  const replaceAll = (value: string, start: number, end: number) => {
    const el = options.field();
    if (!el) return;
    const before = el.value;
    let head = 0;
    while (head < before.length && head < value.length && before[head] === value[head]) head++;
    let tail = 0;
    while (
      tail < before.length - head &&
      tail < value.length - head &&
      before[before.length - 1 - tail] === value[value.length - 1 - tail]
    )
      tail++;
    replace(head, before.length - tail, value.slice(head, value.length - tail), start, end);
  };

  const setPendingAt = (el: HTMLTextAreaElement, caret: number, marks: Mark[]) => {
    setPending(marks.length > 0 ? { value: el.value, caret, marks } : null);
    note();
  };

  /** A formatting button or shortcut. */
  const apply = (mark: Mark) => {
    const el = options.field();
    if (!el || options.blocked()) return;
    const caret = collapsedCaret(el);
    if (caret === null) {
      setPending(null);
      const edit = toggleMark(el.value, el.selectionStart, el.selectionEnd, mark);
      replaceAll(edit.value, edit.start, edit.end);
      note();
      return;
    }
    el.focus();
    const toggle = toggleAtCaret(el.value, caret, mark, livePending());
    if (toggle.kind === 'pending') return setPendingAt(el, caret, toggle.pending);
    if (toggle.kind === 'remove') replace(toggle.from, toggle.to, '', toggle.caret);
    else el.setSelectionRange(toggle.caret, toggle.caret);
    setPendingAt(el, toggle.caret, toggle.pending);
  };

  /** Typing into pending marks writes them around the letter; Backspace takes an emptied mark with it. */
  const onBeforeInput = (e: InputEvent) => {
    const el = options.field();
    if (!el) return;
    const caret = collapsedCaret(el);
    const marks = livePending();
    if (e.inputType === 'insertText' && e.data && marks.length > 0 && caret !== null) {
      e.preventDefault();
      setPending(null);
      const typed = wrapTyped(e.data, marks);
      replace(caret, caret, typed.insert, caret + typed.caret);
    } else if (e.inputType === 'deleteContentBackward' && caret !== null) {
      const emptied = deleteIntoEmptyMark(el.value, caret);
      if (!emptied) return;
      e.preventDefault();
      replace(emptied.from, emptied.to, '', emptied.from);
      setPendingAt(el, emptied.from, emptied.pending);
    }
  };

  /** Whether what is typed at the caret now comes out in `mark` (the button shows as pressed). */
  const pressed = (mark: Mark): boolean => {
    caretSeen();
    pending();
    const el = options.field();
    if (!el || document.activeElement !== el) return false;
    const caret = collapsedCaret(el);
    if (caret === null) return false;
    return openMarksAt(el.value, caret).includes(mark) !== livePending().includes(mark);
  };

  return { apply, onBeforeInput, pressed, reset: () => setPending(null), note };
}
