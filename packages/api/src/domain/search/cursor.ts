/**
 * Search cursors: opaque to clients (base64url JSON), checked on the way in.
 * Times travel as PostgreSQL's own text with microseconds, since a JS Date
 * would round them and skip or repeat a row at a page boundary.
 */
import { invalid } from '../../errors';

export interface RecentCursor {
  order: 'recent';
  /** The last hit's created_at, as PostgreSQL wrote it, and id. */
  at: string;
  id: string;
}

export interface RelevantCursor {
  order: 'relevant';
  /** The candidates are the newest matches sent up to this instant (fixed on the first page). */
  asOf: string;
  rank: number;
  at: string;
  id: string;
}

export type SearchCursor = RecentCursor | RelevantCursor;

const BAD = 'This search cursor is not valid: start the search again.';
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export function decodeCursor(text: string, order: SearchCursor['order']): SearchCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid(BAD, 'cursor');
  }
  if (!isRecord(value) || value.order !== order) throw invalid(BAD, 'cursor');
  const { at, id } = value;
  if (typeof at !== 'string' || !TIME.test(at) || typeof id !== 'string' || !UUID.test(id)) {
    throw invalid(BAD, 'cursor');
  }
  if (order === 'recent') return { order, at, id };
  const { asOf, rank } = value;
  if (typeof asOf !== 'string' || !TIME.test(asOf) || typeof rank !== 'number' || !Number.isFinite(rank)) {
    throw invalid(BAD, 'cursor');
  }
  return { order, asOf, rank, at, id };
}
