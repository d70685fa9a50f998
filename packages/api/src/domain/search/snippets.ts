/**
 * Snippets as structured segments, so clients render matches without HTML.
 * ts_headline marks matches with two control characters that cannot occur
 * in the text (they are replaced in the body first), and we cut on them.
 */
import { SEARCH_CONFIG } from '@chat/db';
import { type SQL, sql } from 'drizzle-orm';

export interface SnippetSegment {
  text: string;
  match: boolean;
}

const START = '\u0001';
const STOP = '\u0002';
const ELLIPSIS = '…';
/** Without words to highlight, the start of the message, this long. */
const PLAIN_MAX = 200;
/** Messages up to this long are shown whole; longer ones as the passage around the best match. */
const WHOLE_MAX = 280;

const marks = `StartSel=${START}, StopSel=${STOP}`;
const whole = `${marks}, HighlightAll=true`;
const passage = `${marks}, MaxWords=30, MinWords=12, ShortWord=1`;

/** SQL for the marked-up snippet of `body` (a column expression) against `query`. */
export function headlineSql(body: SQL, query: SQL): SQL {
  const config = sql.raw(`'${SEARCH_CONFIG}'::regconfig`);
  const clean = sql`translate(coalesce(${body}, ''), chr(1) || chr(2), '  ')`;
  return sql`case when length(${body}) <= ${WHOLE_MAX}
    then ts_headline(${config}, ${clean}, ${query}, ${whole})
    else ts_headline(${config}, ${clean}, ${query}, ${passage}) end`;
}

function plain(body: string): SnippetSegment[] {
  const text = body.length > PLAIN_MAX ? `${body.slice(0, PLAIN_MAX).trimEnd()} ${ELLIPSIS}` : body;
  return text ? [{ text, match: false }] : [];
}

/** Splits a marked headline into segments, with … where the message goes on beyond it. */
export function toSegments(headline: string | null, body: string): SnippetSegment[] {
  if (headline === null) return plain(body);
  const segments: SnippetSegment[] = [];
  const push = (text: string, match: boolean) => {
    if (!text) return;
    const prev = segments.at(-1);
    if (prev && prev.match === match) prev.text += text;
    else segments.push({ text, match });
  };
  for (const [i, part] of headline.split(START).entries()) {
    if (i === 0) {
      push(part, false);
      continue;
    }
    const stop = part.indexOf(STOP);
    if (stop < 0) push(part, true);
    else {
      push(part.slice(0, stop), true);
      push(part.slice(stop + 1), false);
    }
  }
  const normal = (s: string) => s.replace(/\s+/g, ' ').trim();
  const all = normal(body);
  const shown = normal(segments.map((s) => s.text).join(''));
  if (!all.startsWith(shown)) {
    const first = segments[0];
    if (first && !first.match) first.text = `${ELLIPSIS} ${first.text}`;
    else segments.unshift({ text: `${ELLIPSIS} `, match: false });
  }
  if (!all.endsWith(shown)) push(` ${ELLIPSIS}`, false);
  return segments;
}
