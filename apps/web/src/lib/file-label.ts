/**
 * How a file attachment is described to people: its size in words, a short
 * type label and an icon's name. The type comes from what the server sniffed
 * (`contentType`), falling back to the name's extension for display only.
 */
import type { Attachment } from './outbox-queue';

export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export type FileIcon = 'file-pdf' | 'file-archive' | 'file-doc' | 'file-sheet' | 'file-text' | 'file';

const BY_TYPE: [RegExp, FileIcon, string][] = [
  [/^application\/pdf$/, 'file-pdf', 'PDF'],
  [/zip|x-tar|gzip|x-7z|rar|bzip2|x-xz/, 'file-archive', 'Archive'],
  [/wordprocessing|msword|opendocument\.text/, 'file-doc', 'Document'],
  [/spreadsheet|ms-excel/, 'file-sheet', 'Spreadsheet'],
  [/presentation|powerpoint/, 'file-doc', 'Slides'],
];
const BY_EXTENSION: Record<string, FileIcon> = {
  pdf: 'file-pdf',
  zip: 'file-archive',
  gz: 'file-archive',
  tar: 'file-archive',
  '7z': 'file-archive',
  rar: 'file-archive',
  doc: 'file-doc',
  docx: 'file-doc',
  odt: 'file-doc',
  rtf: 'file-doc',
  xls: 'file-sheet',
  xlsx: 'file-sheet',
  ods: 'file-sheet',
  csv: 'file-sheet',
  txt: 'file-text',
  md: 'file-text',
  log: 'file-text',
  json: 'file-text',
};

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The icon and the words for a file's type: "PDF", "Archive", or the extension in capitals ("TXT"), or "File". */
export function fileKind(file: Pick<Attachment, 'contentType' | 'fileName'>): { icon: FileIcon; label: string } {
  for (const [pattern, icon, label] of BY_TYPE) if (pattern.test(file.contentType)) return { icon, label };
  const ext = extension(file.fileName);
  const icon = BY_EXTENSION[ext] ?? 'file';
  return { icon, label: ext && ext.length <= 5 ? ext.toUpperCase() : 'File' };
}

/** "Image", "3 images", "report.pdf", "2 files", "3 attachments": a message with no text, in one line. */
export function attachmentsLabel(attachments: readonly Pick<Attachment, 'kind' | 'fileName'>[]): string {
  const images = attachments.filter((a) => a.kind === 'image').length;
  const files = attachments.length - images;
  if (files === 0) return images > 1 ? `${images} images` : images === 1 ? 'Image' : '';
  if (images > 0) return `${attachments.length} attachments`;
  if (files === 1) return attachments[0]?.fileName ?? 'File';
  return `${files} files`;
}
