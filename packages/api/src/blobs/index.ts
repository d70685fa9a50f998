import { join } from 'node:path';
import { LocalBlobStore } from './local';
import { S3BlobStore, type S3Options } from './s3';
import type { BlobStore } from './store';

export type { BlobStore } from './store';
export { LocalBlobStore, S3BlobStore, type S3Options };

/** S3 when a bucket is configured, else files under `<dataDir>/blobs`. */
export function createBlobStore(options: { dataDir: string; s3?: S3Options }): BlobStore {
  return options.s3 ? new S3BlobStore(options.s3) : new LocalBlobStore(join(options.dataDir, 'blobs'));
}
