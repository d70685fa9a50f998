-- The hubs' read of the event log (packages/api/src/domain/events/store.ts,
-- readAllAfter): every event after a position, in id order. Planned by
-- statistics, a young log (analyzed almost empty) is read whole and sorted on
-- every read, by every server process; this plan walks the primary key from
-- the position whatever the table's size (docs/capacity.md). The settings are
-- the function's own, so they hold for this query alone; PL/pgSQL keeps the
-- plan for the session, as a prepared statement would.
CREATE FUNCTION "events_after"("after" bigint, "max_rows" integer)
RETURNS TABLE ("id" bigint, "user_id" uuid, "chat_id" uuid, "type" text, "payload" jsonb, "created_at" timestamp with time zone)
LANGUAGE plpgsql STABLE
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_sort = off
AS $$
BEGIN
  RETURN QUERY SELECT e.id, e.user_id, e.chat_id, e.type, e.payload, e.created_at
  FROM events e
  WHERE e.id > "after"
  ORDER BY e.id
  LIMIT "max_rows";
END
$$;
