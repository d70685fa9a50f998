/** A round badge with a name's initials, coloured by the name so people are easy to tell apart. */
export function Avatar(props: { name: string; size?: 'small' | 'large' }) {
  const initials = () =>
    props.name
      .split(/[\s._-]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part.charAt(0).toUpperCase())
      .join('') || '?';
  const hue = () => [...props.name].reduce((sum, ch) => (sum * 31 + (ch.codePointAt(0) ?? 0)) % 360, 7);
  return (
    <span class={`avatar ${props.size ?? ''}`} style={{ '--avatar-hue': String(hue()) }} aria-hidden="true">
      {initials()}
    </span>
  );
}
