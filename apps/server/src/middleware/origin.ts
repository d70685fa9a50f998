/**
 * Refuses requests a foreign web page makes with the user's cookie (CSRF):
 * an `Origin` other than ours, or `Sec-Fetch-Site: cross-site`. Requests with
 * neither header come from scripts and bots, which carry no ambient cookie.
 */
export interface OriginPolicy {
  /** PUBLIC_ORIGIN. When unset, the Origin's host must equal the Host header. */
  publicOrigin: string | undefined;
}

export function isForeign(
  policy: OriginPolicy,
  headers: {
    origin?: string | null | undefined;
    host?: string | null | undefined;
    secFetchSite?: string | null | undefined;
  },
): boolean {
  if (headers.secFetchSite === 'cross-site') return true;
  if (!headers.origin) return false;
  if (policy.publicOrigin) return headers.origin !== policy.publicOrigin;
  try {
    // Scheme is not compared: behind a TLS-terminating proxy we see http.
    return new URL(headers.origin).host !== headers.host;
  } catch {
    return true;
  }
}
