import type { MessageView } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { firstLine, quoteOf, quoteText, withOriginal } from './reply-quote';

const message = (over: Partial<MessageView> = {}): MessageView => ({
  id: 'm1',
  chatId: 'c',
  senderId: 'alice',
  seq: 1,
  body: 'Lunch?\nOr later',
  createdAt: new Date(0),
  editedAt: null,
  deletedAt: null,
  attachments: [],
  reactions: [],
  system: null,
  replyToId: null,
  replyTo: null,
  ...over,
});

describe('firstLine', () => {
  it('is the first non-blank line, without a CRLF’s carriage return, cut at 200 characters', () => {
    expect(firstLine('\r\n  \n  **First** line\r\nsecond')).toBe('**First** line');
    expect(firstLine('')).toBe('');
    expect(firstLine('😀'.repeat(250))).toBe('😀'.repeat(200));
  });
});

describe('quotes', () => {
  it('quote a message as it is: text, image, deleted', () => {
    expect(quoteOf(message())).toEqual({
      messageId: 'm1',
      senderId: 'alice',
      text: 'Lunch?',
      hasImage: false,
      deleted: false,
      fileName: null,
    });
    const image = {
      id: 'i',
      kind: 'image' as const,
      contentType: 'image/png',
      fileName: 'a.png',
      bytes: 1,
      width: 1,
      height: 1,
      thumbWidth: 1,
      thumbHeight: 1,
    };
    expect(quoteOf(message({ body: '', attachments: [image] }))).toMatchObject({ text: '', hasImage: true });
    const file = { ...image, id: 'f', kind: 'file' as const, contentType: 'application/pdf', fileName: 'plan.pdf' };
    expect(quoteOf(message({ body: '', attachments: [image, file] }))).toMatchObject({
      hasImage: true,
      fileName: 'plan.pdf',
    });
    expect(quoteOf(message({ body: null, deletedAt: new Date() }))).toMatchObject({
      text: null,
      hasImage: false,
      deleted: true,
    });
  });

  it('follow an original’s edit and deletion, touching nothing else', () => {
    const reply = message({ id: 'r', seq: 2, body: 'Yes', replyToId: 'm1', replyTo: quoteOf(message()) });
    const other = message({ id: 'o', seq: 3, body: 'unrelated' });
    const list = [message(), reply, other];
    const edited = withOriginal(list, message({ body: 'Dinner?', editedAt: new Date() }));
    expect(edited[1]?.replyTo?.text).toBe('Dinner?');
    expect(edited[2]).toBe(other);
    const deleted = withOriginal(edited, message({ body: null, deletedAt: new Date() }));
    expect(quoteText(deleted[1]?.replyTo ?? quoteOf(message()))).toBe('Deleted message');
    // Nothing to change: the same list back.
    expect(withOriginal(list, message())).toBe(list);
    expect(withOriginal(list, other)).toBe(list);
  });

  it('say what the original is: its line without marks, or an image', () => {
    expect(
      quoteText({
        messageId: 'm',
        senderId: 'a',
        text: '**Bold** _move_',
        hasImage: false,
        deleted: false,
        fileName: null,
      }),
    ).toBe('Bold move');
    expect(quoteText({ messageId: 'm', senderId: 'a', text: '', hasImage: true, deleted: false, fileName: null })).toBe(
      'Image',
    );
    // Files without text: the first file's name.
    expect(
      quoteText({
        messageId: 'm',
        senderId: 'a',
        text: '',
        hasImage: false,
        deleted: false,
        fileName: 'Q3 report.pdf',
      }),
    ).toBe('Q3 report.pdf');
  });
});
