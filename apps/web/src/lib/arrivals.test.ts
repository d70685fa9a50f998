import { describe, expect, it } from 'vitest';
import { announcement } from './arrivals';

describe('announcement', () => {
  it('reads one message whole (up to a limit), or says what it carries', () => {
    expect(announcement([])).toBe('');
    expect(announcement([{ sender: 'Ann', text: 'lunch?\n  at noon', files: 0 }])).toBe(
      'New message from Ann: lunch? at noon',
    );
    expect(announcement([{ sender: 'Ann', text: null, files: 1 }])).toBe('Ann sent an attachment');
    expect(announcement([{ sender: 'Ann', text: '', files: 3 }])).toBe('Ann sent 3 attachments');
    const long = announcement([{ sender: 'Ann', text: 'x'.repeat(500), files: 0 }]);
    expect(long).toBe(`New message from Ann: ${'x'.repeat(139)}…`);
  });

  it('sums up a burst by count and senders', () => {
    const from = (sender: string) => ({ sender, text: 'hi', files: 0 });
    expect(announcement([from('Ann'), from('Ann'), from('Ann')])).toBe('3 new messages from Ann');
    expect(announcement([from('Ann'), from('Ben'), from('Ann')])).toBe('3 new messages from Ann and Ben');
    expect(announcement(['Ann', 'Ben', 'Cal', 'Dan', 'Eve'].map(from))).toBe(
      '5 new messages from Ann, Ben and 3 others',
    );
  });
});
