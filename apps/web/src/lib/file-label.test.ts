import { describe, expect, it } from 'vitest';
import { attachmentsLabel, fileKind, sizeLabel } from './file-label';

const file = (fileName: string, contentType = 'application/octet-stream') => ({
  kind: 'file' as const,
  fileName,
  contentType,
});
const image = { kind: 'image' as const, fileName: 'a.png', contentType: 'image/png' };

describe('file labels', () => {
  it('sizes in words', () => {
    expect(sizeLabel(12)).toBe('12 B');
    expect(sizeLabel(2048)).toBe('2 KB');
    expect(sizeLabel(5.5 * 1024 * 1024)).toBe('5.5 MB');
  });
  it('types from the sniffed type, else the extension for display', () => {
    expect(fileKind(file('x.bin', 'application/pdf'))).toEqual({ icon: 'file-pdf', label: 'PDF' });
    expect(fileKind(file('b.zip', 'application/zip'))).toEqual({ icon: 'file-archive', label: 'Archive' });
    expect(fileKind(file('notes.txt'))).toEqual({ icon: 'file-text', label: 'TXT' });
    expect(fileKind(file('noextension'))).toEqual({ icon: 'file', label: 'File' });
    expect(fileKind(file('.hidden'))).toEqual({ icon: 'file', label: 'File' });
  });
  it('a message of attachments alone, in one line', () => {
    expect(attachmentsLabel([image])).toBe('Image');
    expect(attachmentsLabel([image, image])).toBe('2 images');
    expect(attachmentsLabel([file('report.pdf')])).toBe('report.pdf');
    expect(attachmentsLabel([file('a'), file('b')])).toBe('2 files');
    expect(attachmentsLabel([image, file('a')])).toBe('2 attachments');
    expect(attachmentsLabel([])).toBe('');
  });
});
