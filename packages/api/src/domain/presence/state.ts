import type { UserStatus } from '@chat/db';

export type { UserStatus };

/**
 * What anyone allowed to see a user learns of their presence (a list, or a
 * stream's `presence` item). `status` is the one shown: the status they
 * chose, or `away` when they chose `available` and none of their tabs has
 * had input for a while (docs/presence.md, "Status").
 */
export interface PresenceState {
  userId: string;
  online: boolean;
  lastSeenAt: Date | null;
  status: UserStatus;
}

/** The status shown: a chosen Available turns Away while idle; Away and Do not disturb stay as chosen. */
export function effectiveStatus(chosen: UserStatus, idle: boolean): UserStatus {
  return chosen === 'available' && idle ? 'away' : chosen;
}
