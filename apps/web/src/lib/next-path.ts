/**
 * Where to go after signing in: the `next` parameter when it is a path on
 * this site (never `//host` or a scheme, which would send the user away),
 * else the home page.
 */
export function safeNextPath(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/^\/(login|register)(?:[/?#]|$)/.test(value)) return '/';
  return value;
}

/** The sign-in address that brings the user back to `path` afterwards. */
export function loginPathFor(path: string): string {
  return path === '/' || path === '' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}
