/**
 * ↑ in an empty composer edits one's last message (Slack's habit), through
 * the row's own Edit button, so it is the same edit mode a click opens and
 * only a message that button may edit (one's own, stored, not deleted).
 * Read from what is on screen: the newest loaded row that has the button.
 */
export function editLastOwnMessage(list: HTMLElement | undefined): boolean {
  const rows = list ? Array.from(list.querySelectorAll<HTMLElement>('.message-row.own')) : [];
  for (const row of rows.reverse()) {
    const edit = row.querySelector<HTMLButtonElement>('button[aria-label="Edit message"]');
    if (!edit) continue;
    row.scrollIntoView({ block: 'nearest' });
    edit.click();
    return true;
  }
  return false;
}
