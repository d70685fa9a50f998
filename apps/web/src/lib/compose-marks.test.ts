import { describe, expect, it } from 'vitest';
import { toggleMark } from './compose-marks';

/** `[` and `]` in the text stand for the selection. */
function apply(marked: string, mark: Parameters<typeof toggleMark>[3]): string {
  const start = marked.indexOf('[');
  const end = marked.indexOf(']') - 1;
  const value = marked.replace('[', '').replace(']', '');
  const edit = toggleMark(value, start, end, mark);
  return `${edit.value.slice(0, edit.start)}[${edit.value.slice(edit.start, edit.end)}]${edit.value.slice(edit.end)}`;
}

describe('toggleMark', () => {
  it('wraps the selection in the mark, keeping it selected', () => {
    expect(apply('say [hello] now', 'bold')).toBe('say **[hello]** now');
    expect(apply('say [hello] now', 'italic')).toBe('say *[hello]* now');
    expect(apply('say [hello] now', 'strike')).toBe('say ~~[hello]~~ now');
    expect(apply('say [hello] now', 'code')).toBe('say `[hello]` now');
  });

  it('puts the caret between new marks when nothing is selected', () => {
    expect(apply('say []', 'bold')).toBe('say **[]**');
  });

  it('leaves spaces around the selection outside the marks', () => {
    expect(apply('say[ hello ]now', 'bold')).toBe('say **[hello]** now');
  });

  it('unwraps what is already wrapped, from inside or with the marks selected', () => {
    expect(apply('say **[hello]** now', 'bold')).toBe('say [hello] now');
    expect(apply('say [**hello**] now', 'bold')).toBe('say [hello] now');
    expect(apply('say *[hello]* now', 'italic')).toBe('say [hello] now');
  });

  it('does not take bold marks for italic ones', () => {
    expect(apply('say **[hello]** now', 'italic')).toBe('say ***[hello]*** now');
    expect(apply('say ***[hello]*** now', 'italic')).toBe('say **[hello]** now');
  });

  it('fences several lines as a code block, and unfences them', () => {
    expect(apply('look:[a\nb]', 'code')).toBe('look:\n```\n[a\nb]\n```');
    expect(apply('[```\na\nb\n```]', 'code')).toBe('[a\nb]');
  });
});
