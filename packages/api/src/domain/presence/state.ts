/** What anyone allowed to see a user learns of their presence (a list, or a stream's `presence` item). */
export interface PresenceState {
  userId: string;
  online: boolean;
  lastSeenAt: Date | null;
}
