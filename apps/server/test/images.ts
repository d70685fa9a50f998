/** Image fixtures made in the tests (with sharp), and the upload/fetch calls a browser makes. */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { Person } from './clients';

export function solid(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } });
}

/** A JPEG carrying EXIF with GPS coordinates and a camera marker. */
export async function gpsJpeg(): Promise<Buffer> {
  return solid(64, 48)
    .jpeg()
    .withExif({
      IFD0: { Make: 'FixtureCam', Copyright: 'secret-owner' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A small PNG file whose header claims `width`×`height` (a decompression bomb's calling card). */
export function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function upload(url: string, who: Person, chatId: string, data: Buffer, name = 'photo.png') {
  const response = await fetch(`${url}/api/uploads?chatId=${chatId}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { cookie: who.client.cookie() ?? '', 'content-type': 'application/octet-stream' },
    body: new Uint8Array(data),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { id: string } };
}

export function fetchImage(url: string, who: Person | null, id: string, variant: '' | '/thumb' = '') {
  return fetch(`${url}/api/images/${id}${variant}`, { headers: who ? { cookie: who.client.cookie() ?? '' } : {} });
}
