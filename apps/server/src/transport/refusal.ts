/**
 * A request refused before its stream or its socket starts, answered over
 * plain HTTP the way tRPC's HTTP adapter answers a refused call: the error's
 * status, and `{ error: <its shape, through the router's transformer> }`,
 * which tRPC's clients read. Used by the SSE route (sse.ts: no session, over
 * the cap) and the WebSocket upgrade (upgrade.ts: over the cap).
 */
import { type AnyRouter, getErrorShape, type ProcedureType, type TRPCError, transformTRPCResponse } from '@trpc/server';

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
}

/** `error` as tRPC's HTTP adapter would answer it, shaped by `router`'s error formatter and transformer. */
export function httpRefusal(router: AnyRouter, error: TRPCError, call: RefusedCall): HttpRefusal {
  const config = router._def._config;
  const shape = getErrorShape({ config, ctx: call.ctx, error, type: call.type, path: call.path, input: undefined });
  return { status: shape.data.httpStatus, body: JSON.stringify(transformTRPCResponse(config, { error: shape })) };
}
