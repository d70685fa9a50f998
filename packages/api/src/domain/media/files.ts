/**
 * Judging an uploaded file that is not an image we show (docs/media.md). Its
 * type is sniffed from its bytes with `file-type` (never taken from its name
 * or the declared type); bytes that are an image we accept go down the image
 * path instead (images.ts), re-encoded. A file's bytes are kept as given and
 * only ever served as a download.
 */
import { fileTypeFromBuffer } from 'file-type';
import { invalid } from '../../errors';

/** Formats the image path takes: the same four `encodeImage` accepts. */
const IMAGE_EXTENSIONS = new Set(['jpg', 'png', 'gif', 'webp']);

export const UNKNOWN_TYPE = 'application/octet-stream';

/**
 * Types a file may be served under as they are: none of them runs in a
 * browser, and the download is an attachment with `nosniff` anyway. Anything
 * else (HTML, SVG, XML, scripts, unknown) goes out as application/octet-stream.
 */
const SAFE_SERVED = new Set([
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-bzip2',
  'application/x-xz',
  'application/vnd.rar',
  'application/x-rar-compressed',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'video/mp4',
  'video/webm',
  'video/quicktime',
]);
const SAFE_SERVED_PREFIXES = ['application/vnd.openxmlformats-officedocument.', 'application/vnd.oasis.opendocument.'];

export function servedContentType(sniffed: string): string {
  return SAFE_SERVED.has(sniffed) || SAFE_SERVED_PREFIXES.some((p) => sniffed.startsWith(p)) ? sniffed : UNKNOWN_TYPE;
}

export type Sniffed = { kind: 'image' } | { kind: 'file'; contentType: string };

/** What the bytes are: an image for the image path, or a file with the type they were sniffed as. */
export async function sniffUpload(data: Buffer): Promise<Sniffed> {
  if (data.length === 0) throw invalid('This file is empty.', 'file');
  const found = await fileTypeFromBuffer(data);
  if (found && IMAGE_EXTENSIONS.has(found.ext)) return { kind: 'image' };
  return { kind: 'file', contentType: found?.mime ?? UNKNOWN_TYPE };
}
