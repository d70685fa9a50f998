/**
 * A request refused before its stream or its socket starts, answered over
 * plain HTTP the way tRPC's HTTP adapter answers a refused call: the error's
 * status, and `{ error: <its shape, through the router's transformer> }`,
 * which tRPC's clients read. Used by the SSE route (sse.ts: no session, over
 * the cap), the WebSocket upgrade (upgrade.ts: over the cap) and the poll's
 * route (poll.ts: every failed call).
 */
import { type AnyRouter, getErrorShape, type ProcedureType, type TRPCError, transformTRPCResponse } from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';

export interface HttpRefusal {
  status: number;
  /** JSON text. */
  body: string;
}

export interface RefusedCall {
  /** The procedure asked for; none for a WebSocket upgrade, which asks for none yet. */
  path?: string;
  type: ProcedureType | 'unknown';
  ctx?: unknown;
  /** The call's input as far as it was read (tRPC's error formatter is given it). */
  input?: unknown;
}

/** `error` as tRPC's HTTP adapter would answer it, shaped by `router`'s error formatter and transformer. */
export function httpRefusal(router: AnyRouter, error: TRPCError, call: RefusedCall): HttpRefusal {
  const config = router._def._config;
  const shape = getErrorShape({ config, ctx: call.ctx, error, type: call.type, path: call.path, input: call.input });
  const response = { error: shape };
  // The status as tRPC's adapter finds it: the formatter's `httpStatus`, else the code's.
  return {
    status: getHTTPStatusCode(response, [error]),
    body: JSON.stringify(transformTRPCResponse(config, response)),
  };
}
