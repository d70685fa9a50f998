import type { MiddlewareHandler } from 'hono';

/**
 * Refuses requests a foreign web page makes with the user's cookie (CSRF):
 * an `Origin` other than ours, or `Sec-Fetch-Site: cross-site` / `same-site`
 * (a sibling subdomain is not us either). Requests with neither header come
 * from scripts and bots, which carry no ambient cookie.
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
  if (headers.secFetchSite === 'cross-site' || headers.secFetchSite === 'same-site') return true;
  if (!headers.origin) return false;
  if (policy.publicOrigin) return headers.origin !== policy.publicOrigin;
  try {
    // Scheme is not compared: behind a TLS-terminating proxy we see http.
    return new URL(headers.origin).host !== headers.host;
  } catch {
    return true;
  }
}

/**
 * The content types an HTML form can send (and a page can POST without a
 * CORS preflight). No endpoint of ours takes them, so a request carrying one
 * is refused whatever its Origin says: a cross-site form post never reaches
 * a handler, even from a browser that sends no Origin.
 */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export function isFormPost(method: string, contentType: string | null | undefined): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return FORM_TYPES.includes(type);
}

/** Hono middleware: 403 for a foreign request, 415 for a form post. */
export function refuseCrossSite(policy: OriginPolicy): MiddlewareHandler {
  return async (c, next) => {
    const foreign = isForeign(policy, {
      origin: c.req.header('origin'),
      host: c.req.header('host'),
      secFetchSite: c.req.header('sec-fetch-site'),
    });
    if (foreign) return c.json({ error: { message: 'Cross-site requests are not allowed.' } }, 403);
    if (isFormPost(c.req.method, c.req.header('content-type'))) {
      return c.json({ error: { message: 'Form posts are not accepted here: send JSON.' } }, 415);
    }
    await next();
  };
}
