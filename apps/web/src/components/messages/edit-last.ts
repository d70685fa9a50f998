/**
 * ↑ in an empty composer edits one's last message (Slack's habit): the newest
 * loaded row its Edit button would edit (one's own, stored, not deleted, in a
 * chat one may write in; the row says so with `data-editable`) is asked to
 * open the same edit mode a click opens. The buttons themselves are drawn
 * only while a row is pointed at or focused (message-row.tsx), so it asks the
 * row, not the button.
 */
export const EDIT_REQUEST = 'chat:edit-request';

export function editLastOwnMessage(list: HTMLElement | undefined): boolean {
  const rows = list ? Array.from(list.querySelectorAll<HTMLElement>('.message-row.own[data-editable]')) : [];
  const row = rows.at(-1);
  if (!row) return false;
  row.scrollIntoView({ block: 'nearest' });
  row.dispatchEvent(new Event(EDIT_REQUEST));
  return true;
}
