/**
 * What a line about a group says (types only, so a message's view can name
 * it without importing how lines are written: system-lines.ts).
 */

/** Someone a line is about, named as they were when it was written. */
export interface LinePerson {
  id: string;
  username: string;
  displayName: string;
}

/** What a line says happened. Its `actor` is the message's sender: who caused it. */
export type SystemLine = { actor: LinePerson } & (
  | { type: 'created'; name: string }
  | { type: 'renamed'; name: string; from: string | null }
  | { type: 'added'; users: LinePerson[] }
  | { type: 'removed'; user: LinePerson }
  | { type: 'left' }
  /** `auto`: the owner left and the group passed to its longest-standing member. */
  | { type: 'owner'; user: LinePerson; auto: boolean }
);
