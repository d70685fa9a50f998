-- Search (issue 6). The text search configuration folds accents and case and
-- stems nothing, so any language matches the way it is written. The vector is
-- a stored generated column (ranking and phrase checks read it instead of
-- re-parsing the body); it is kept out of the drizzle schema so that
-- `select()` on messages never fetches it. See src/schema/search.ts and
-- packages/api/src/domain/search/plan.ts for how each index is used.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "chat_search" (COPY = pg_catalog.simple);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "chat_search" ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart WITH unaccent, simple;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('chat_search'::regconfig, coalesce("body", ''))) STORED;--> statement-breakpoint
-- Search picks its query shape from the planner's estimate of a word's matches;
-- 10,000 most common lexemes (instead of 1,000) keep that estimate close for
-- mid-frequency words. ANALYZE then samples 300,000 rows.
ALTER TABLE "messages" ALTER COLUMN "search_vector" SET STATISTICS 1000;--> statement-breakpoint
-- One GIN index on (chat_id, search_vector) (btree_gin supplies the uuid part):
-- it answers the words alone, and the words within the searcher's chats.
CREATE INDEX "messages_chat_search_idx" ON "messages" USING gin ("chat_id", "search_vector");--> statement-breakpoint
-- Walks newest first: the whole table's messages, and one sender's (replacing sender_id alone).
DROP INDEX "messages_sender_idx";--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "messages_sender_idx" ON "messages" USING btree ("sender_id","created_at");