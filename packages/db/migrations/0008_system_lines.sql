-- Lines about a group (created, renamed, member added, removed, left,
-- ownership passed) are messages of the group, written in the transaction of
-- the change they describe: `system` holds what happened (packages/api,
-- domain/chats/system-lines.ts) and is null for what a person wrote. Nullable
-- without a default: adding it rewrites no row.
ALTER TABLE "messages" ADD COLUMN "system" jsonb;
