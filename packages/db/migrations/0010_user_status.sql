-- User status (issue 27): the status a user chooses (available, away, do not
-- disturb), kept across devices and restarts; and per presence row whether all
-- of the user's streams on that process come from idle tabs, so that every
-- process agrees when someone is away by themselves (docs/presence.md, "Status").
ALTER TABLE "presence" ADD COLUMN "idle" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "status" text DEFAULT 'available' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_status_check" CHECK ("users"."status" in ('available', 'away', 'dnd'));