-- Files (issue 27): an upload is now an image (re-encoded, shown inline) or
-- a file (any other bytes, kept as given, served only as a download). Rows
-- that exist are images, hence the default.
ALTER TABLE "uploads" ADD COLUMN "kind" text DEFAULT 'image' NOT NULL;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_kind_check" CHECK ("uploads"."kind" in ('image', 'file'));
