/** What to do when the browser blocks notifications for this site. */
export function BlockedHelp() {
  return (
    <p class="notify-blocked" role="note">
      Your browser blocks notifications from this site. To allow them, click the icon at the left of the address bar (a
      lock or sliders), open <strong>Site settings</strong>, set <strong>Notifications</strong> to{' '}
      <strong>Allow</strong>, and reload the page.
    </p>
  );
}
