/**
 * Where image bytes live (DESIGN.md, layers): one small interface, two
 * implementations — a local directory (the embedded default) and any
 * S3-compatible bucket. Keys are opaque names chosen by the domain.
 */
import type { Readable } from 'node:stream';

export interface BlobStore {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes as a stream, or null when there is no such blob. */
  get(key: string): Promise<{ body: Readable; length: number } | null>;
  delete(keys: string[]): Promise<void>;
}
