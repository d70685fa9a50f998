/**
 * How a chat's messages are laid out: a day line where the day changes, runs
 * of one sender's messages (a new run after a pause or a new day), and the
 * "New messages" line before the first unread one. Pure: the list renders each
 * message once (by id) and reads its place here.
 */

export interface LayoutItem {
  id: string;
  senderId: string;
  createdAt: Date;
  /** A line about the group: never part of a sender's run (the message after it starts one). */
  system?: unknown;
}

export interface RowLayout {
  /** Set on the first message of a day: the day line above it. */
  day: Date | null;
  /** First of a run of one sender's messages: name and avatar go here. */
  firstInRun: boolean;
  /** Last of its run: the gap below it is larger. */
  lastInRun: boolean;
  /** The "New messages" line goes above this one. */
  newMessages: boolean;
}

export interface LayoutOptions {
  /** The first message the user had not read when the chat was opened. */
  firstUnreadId?: string | null;
  /** A pause this long starts a new run even from the same sender. */
  runGapMs?: number;
}

export const RUN_GAP_MS = 5 * 60_000;

/** Whether two times fall on the same calendar day where the browser is. */
export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

export function layoutRows(items: readonly LayoutItem[], options: LayoutOptions = {}): Map<string, RowLayout> {
  const gap = options.runGapMs ?? RUN_GAP_MS;
  const rows = new Map<string, RowLayout>();
  let previous: LayoutItem | undefined;
  let previousRow: RowLayout | undefined;
  for (const item of items) {
    const newDay = !previous || !sameDay(previous.createdAt, item.createdAt);
    const newMessages = item.id === options.firstUnreadId;
    const firstInRun =
      newDay ||
      newMessages ||
      previous?.senderId !== item.senderId ||
      Boolean(previous?.system) ||
      Boolean(item.system) ||
      item.createdAt.getTime() - (previous?.createdAt.getTime() ?? 0) > gap;
    if (firstInRun && previousRow) previousRow.lastInRun = true;
    const row: RowLayout = { day: newDay ? item.createdAt : null, firstInRun, lastInRun: false, newMessages };
    rows.set(item.id, row);
    previous = item;
    previousRow = row;
  }
  if (previousRow) previousRow.lastInRun = true;
  return rows;
}

export interface Run<T extends LayoutItem> {
  senderId: string;
  items: T[];
  newMessages: boolean;
}

export interface Day<T extends LayoutItem> {
  date: Date;
  runs: Run<T>[];
}

/** The same layout as nested days and runs (for reading it whole, e.g. in tests or a summary). */
export function groupByDayAndSender<T extends LayoutItem>(items: readonly T[], options: LayoutOptions = {}): Day<T>[] {
  const rows = layoutRows(items, options);
  const days: Day<T>[] = [];
  for (const item of items) {
    const row = rows.get(item.id);
    if (!row) continue;
    if (row.day || days.length === 0) days.push({ date: item.createdAt, runs: [] });
    const day = days[days.length - 1];
    if (!day) continue;
    if (row.firstInRun || day.runs.length === 0) {
      day.runs.push({ senderId: item.senderId, items: [], newMessages: row.newMessages });
    }
    day.runs[day.runs.length - 1]?.items.push(item);
  }
  return days;
}
