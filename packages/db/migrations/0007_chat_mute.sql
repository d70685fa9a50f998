-- A member may mute a chat (issue 27): no sound or desktop notification for
-- it on their devices, except a message that mentions them.
ALTER TABLE "chat_members" ADD COLUMN "muted" boolean DEFAULT false NOT NULL;
