/**
 * A request refused before its stream or its socket starts, answered over
 * plain HTTP the way tRPC's HTTP adapter answers a refused call: the error's
 * status, and `{ error: <its shape, through the router's transformer> }`,
 * which tRPC's clients read. Used by the SSE route (sse.ts: no session, over
 * the cap) and the WebSocket upgrade (over the cap).
 */
import { getErrorShape, type ProcedureType, transformTRPCResponse } from '@trpc/server';
import type { Context } from './context';
import { toStreamError } from './event-stream';
import { appRouter } from './routers';

const config = appRouter._def._config;

export interface HttpRefusal {
  status: number;
  /** JSON text. */
  body: string;
}

export interface RefusedCall {
  /** The procedure asked for; none for a WebSocket upgrade, which asks for none yet. */
  path?: string;
  type: ProcedureType | 'unknown';
  ctx?: Context;
}

export function httpRefusal(cause: unknown, call: RefusedCall): HttpRefusal {
  const error = toStreamError(cause);
  const shape = getErrorShape({ config, ctx: call.ctx, error, type: call.type, path: call.path, input: undefined });
  return { status: shape.data.httpStatus, body: JSON.stringify(transformTRPCResponse(config, { error: shape })) };
}
