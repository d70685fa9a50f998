import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export interface SecurityHeaderOptions {
  /** Served over https (PUBLIC_ORIGIN is https://…): add HSTS. */
  https: boolean;
}

/**
 * Headers on every response, from Hono's secureHeaders. The policy allows
 * scripts, styles and connections from our origin only (no inline script:
 * the built SPA has none), images also from `blob:` (previews of a picked
 * file before upload), and no framing. A handler that sets a stricter
 * header of its own (image responses: `default-src 'none'; sandbox`) keeps it.
 */
export function securityHeaders(options: SecurityHeaderOptions): MiddlewareHandler {
  return secureHeaders({
    overwrite: false,
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'blob:', 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // HSTS only when the public URL is https: over plain http it would be
    // ignored at best, and a mistake there locks users out of the host.
    strictTransportSecurity: options.https ? 'max-age=31536000' : false,
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
  });
}
