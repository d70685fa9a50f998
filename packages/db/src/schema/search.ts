/**
 * Search (migration 0004_search). Not drizzle tables, so the SQL lives in the
 * migration and this file says what it made:
 *
 * - `chat_search`, a text search configuration: `simple` (lower-case, no
 *   stemming, no stop words: every language is matched as written) with
 *   `unaccent` in front of it for words with non-ASCII letters (é, ß, ł …
 *   fold to e, ss, l), so "cafe" finds "Café" and the other way round.
 * - `messages.search_vector`, a stored generated column:
 *   `to_tsvector('chat_search', coalesce(body, ''))`. A deleted message's body
 *   is null, so its vector is empty. It is left out of the drizzle table on
 *   purpose: `select()` on messages never fetches it; only search reads it.
 * - `messages_chat_search_idx`, GIN on (chat_id, search_vector) with
 *   `btree_gin`: it finds a word's messages, or only those in given chats.
 *   The vector's statistics keep 10,000 lexemes (search picks its query
 *   shape from the planner's estimates).
 * - `messages.search_head` (migration 0006), a stored generated column: the
 *   same vector for a message of at most 400 bytes (null for longer ones,
 *   empty once deleted), small enough for a btree entry. Three indexes by
 *   time carry it with `has_image` (INCLUDE, which drizzle cannot declare):
 *   `messages_chat_created_idx` on (chat_id, created_at, id),
 *   `messages_created_idx` on (created_at, id) and `messages_sender_idx` on
 *   (sender_id, created_at, id), the last two with chat_id, so search's
 *   newest-first walks test words and has:image without visiting the table
 *   (packages/api/src/domain/search/query.ts).
 *
 * PGlite loads `unaccent` and `btree_gin` from its contrib bundle
 * (client.ts); PostgreSQL has both in its contrib package, and both are
 * trusted extensions (no superuser needed to create them).
 */
import { sql } from 'drizzle-orm';

export const SEARCH_CONFIG = 'chat_search';

/** The vector of the row of `messages` (aliased or not) that a query reads. */
export const messageSearchVector = (alias = 'messages') => sql.raw(`"${alias}"."search_vector"`);
