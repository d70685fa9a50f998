/**
 * Judging and re-encoding an uploaded image. The type is read from the bytes
 * (never the name or the declared type); only JPEG, PNG, GIF and WebP pass.
 * Everything accepted is decoded and encoded afresh, which drops EXIF, GPS
 * and anything else riding along, and a thumbnail is made with sharp.
 */
import sharp, { type Metadata } from 'sharp';
import { invalid, tooLarge } from '../../errors';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 50_000_000;
const THUMB_SIZE = 480;

const ACCEPTED = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' } as const;
type Format = keyof typeof ACCEPTED;

/** Markup a browser could be talked into running, found anywhere in the file: a polyglot. */
const MARKUP = ['<script', '<html', '<svg', '<body', '<iframe', '<!doctype', '<object', '<embed', 'javascript:'];

export interface EncodedImage {
  contentType: (typeof ACCEPTED)[Format];
  data: Buffer;
  width: number;
  height: number;
  thumb: { data: Buffer; width: number; height: number };
}

const NOT_AN_IMAGE = 'This file is not an image we accept: send a JPEG, PNG, GIF or WebP.';

function checkNoMarkup(input: Buffer): void {
  // latin1 maps every byte to one char, so offsets and case folding are cheap and exact for ASCII.
  const text = input.toString('latin1').toLowerCase();
  if (MARKUP.some((m) => text.includes(m))) {
    throw invalid('This file contains web page code as well as image data, so it is refused.', 'file');
  }
}

export async function encodeImage(input: Buffer): Promise<EncodedImage> {
  if (input.length === 0) throw invalid('This file is empty.', 'file');
  if (input.length > MAX_IMAGE_BYTES) throw tooLarge('This image is larger than 20 MB.', 'file');
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw invalid(NOT_AN_IMAGE, 'file');
  }
  const format = meta.format as string;
  if (!(format in ACCEPTED)) {
    throw invalid(
      format === 'svg' ? 'SVG images are not accepted: send a JPEG, PNG, GIF or WebP.' : NOT_AN_IMAGE,
      'file',
    );
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width * height * (meta.pages ?? 1) > MAX_IMAGE_PIXELS) {
    throw invalid('This image is too large: at most 50 megapixels.', 'file');
  }
  checkNoMarkup(input);

  const kind = format as Format;
  const animated = (kind === 'gif' || kind === 'webp') && (meta.pages ?? 1) > 1;
  try {
    const decoded = sharp(input, { failOn: 'truncated', limitInputPixels: MAX_IMAGE_PIXELS, animated }).autoOrient();
    const encoded =
      kind === 'jpeg'
        ? decoded.jpeg({ quality: 85, mozjpeg: true })
        : kind === 'png'
          ? decoded.png({ compressionLevel: 6 })
          : kind === 'webp'
            ? decoded.webp({ quality: 85 })
            : decoded.gif();
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumb = await sharp(data, { limitInputPixels: MAX_IMAGE_PIXELS })
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return {
      contentType: ACCEPTED[kind],
      data,
      width: info.width,
      height: info.pageHeight ?? info.height,
      thumb: { data: thumb.data, width: thumb.info.width, height: thumb.info.height },
    };
  } catch {
    throw invalid('This image is damaged or incomplete and cannot be read.', 'file');
  }
}
