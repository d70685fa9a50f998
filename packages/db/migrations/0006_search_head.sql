-- Search reads a short message's words, and whether it has images, from an
-- index, without visiting the table (issue 6: phrases, prefixes, common words,
-- from: and has:image, within a few chats or across most of the table).
-- `search_head` is the vector of a message of at most 400 bytes, which fits
-- in a btree entry (a vector of n bytes of text is at most about 6n + 8
-- bytes: below btree's 2,704-byte limit); longer messages have none (null)
-- and are always re-checked against `search_vector` in the table. Deleted
-- messages get an empty vector, which matches nothing.
ALTER TABLE "messages" ADD COLUMN "search_head" tsvector GENERATED ALWAYS AS (CASE WHEN "body" IS NULL THEN ''::tsvector WHEN octet_length("body") <= 400 THEN to_tsvector('chat_search'::regconfig, "body") END) STORED;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "has_image" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "messages" SET "has_image" = true WHERE "id" IN (SELECT "message_id" FROM "uploads" WHERE "message_id" IS NOT NULL);--> statement-breakpoint
DROP INDEX "messages_chat_created_idx";--> statement-breakpoint
DROP INDEX "messages_created_idx";--> statement-breakpoint
DROP INDEX "messages_sender_idx";--> statement-breakpoint
-- A chat's messages by time (history's date ranges; search's walk of a few chats, index-only).
CREATE INDEX "messages_chat_created_idx" ON "messages" USING btree ("chat_id","created_at","id") INCLUDE ("search_head","has_image");--> statement-breakpoint
-- The whole table by time (search's walk for a searcher who sees much of it, index-only).
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_at","id") INCLUDE ("chat_id","search_head","has_image");--> statement-breakpoint
-- One sender's messages by time (search's from:, index-only).
CREATE INDEX "messages_sender_idx" ON "messages" USING btree ("sender_id","created_at","id") INCLUDE ("chat_id","search_head","has_image");
