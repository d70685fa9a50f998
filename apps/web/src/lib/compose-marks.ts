/**
 * The composer's formatting buttons and shortcuts, pure: wrap the selected
 * text in markdown marks, or take them away when it is wrapped already. The
 * text stays what the user could have typed.
 */

export type Mark = 'bold' | 'italic' | 'strike' | 'code';

const MARKERS: Record<Mark, string> = { bold: '**', italic: '*', strike: '~~', code: '`' };

export interface TextEdit {
  value: string;
  /** The selection afterwards: the text that was selected, inside its marks. */
  start: number;
  end: number;
}

/** `*` of italic is not a side of `**` bold (but `***` is both). */
function hasMarkerAt(value: string, at: number, marker: string, mark: Mark): boolean {
  if (at < 0 || value.slice(at, at + marker.length) !== marker) return false;
  if (mark !== 'italic') return true;
  const before = value[at - 1];
  const after = value[at + 1];
  const run = (before === '*' ? 1 : 0) + (after === '*' ? 1 : 0);
  return run !== 1 || value.slice(at - 2, at + 3).includes('***');
}

/** Wraps `value[start, end)` in `mark`'s markers, or unwraps it when it already is. */
export function toggleMark(value: string, start: number, end: number, mark: Mark): TextEdit {
  let from = Math.min(start, end);
  let to = Math.max(start, end);
  // Marks must hug the words: leave surrounding spaces outside.
  while (from < to && /\s/.test(value[from] ?? '')) from++;
  while (to > from && /\s/.test(value[to - 1] ?? '')) to--;
  const selected = value.slice(from, to);

  if (mark === 'code' && selected.includes('\n')) return toggleFence(value, from, to);
  const marker = MARKERS[mark];
  const n = marker.length;

  // Already wrapped around the selection: unwrap.
  if (from >= n && hasMarkerAt(value, from - n, marker, mark) && hasMarkerAt(value, to, marker, mark)) {
    return {
      value: value.slice(0, from - n) + selected + value.slice(to + n),
      start: from - n,
      end: to - n,
    };
  }
  // The selection includes its marks: unwrap.
  if (selected.length >= 2 * n && selected.startsWith(marker) && selected.endsWith(marker)) {
    const inner = selected.slice(n, selected.length - n);
    if (hasMarkerAt(selected, 0, marker, mark) && hasMarkerAt(selected, selected.length - n, marker, mark)) {
      return { value: value.slice(0, from) + inner + value.slice(to), start: from, end: from + inner.length };
    }
  }
  return {
    value: `${value.slice(0, from)}${marker}${selected}${marker}${value.slice(to)}`,
    start: from + n,
    end: to + n,
  };
}

/** Several lines as code: a fenced block on lines of its own. */
function toggleFence(value: string, from: number, to: number): TextEdit {
  const selected = value.slice(from, to);
  const fenced = /^```[^\n]*\n([\s\S]*)\n```$/.exec(selected);
  if (fenced) {
    const inner = fenced[1] ?? '';
    return { value: value.slice(0, from) + inner + value.slice(to), start: from, end: from + inner.length };
  }
  const before = from > 0 && value[from - 1] !== '\n' ? '\n' : '';
  const after = to < value.length && value[to] !== '\n' ? '\n' : '';
  const open = `${before}\`\`\`\n`;
  return {
    value: `${value.slice(0, from)}${open}${selected}\n\`\`\`${after}${value.slice(to)}`,
    start: from + open.length,
    end: from + open.length + selected.length,
  };
}
