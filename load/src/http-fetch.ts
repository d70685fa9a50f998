/**
 * A lean `fetch` for the tool's queries and mutations, on `node:http` with
 * keep-alive connections shared by every client of the process. The typed
 * client, its links and superjson stay as they are; only the request under
 * them changes. Node's own fetch (undici's WHATWG layer: web streams, abort
 * signals, DOMExceptions) cost the tool more than a millisecond of CPU per
 * send at scenario 6, on the cores the server being measured also needs
 * (load/README.md, "Connect": the tool's CPU at 500 sends/s, 0.69 -> 0.49 cores).
 *
 * It reads whole bodies, so it is for request/response calls only: the SSE
 * stream keeps the global fetch.
 */
import http from 'node:http';

/** The parts of a `Response` the typed client reads: tRPC reads `json()`, the cookie jar `headers`. */
type CallResponse = Pick<Response, 'ok' | 'status' | 'headers' | 'json' | 'text'>;

function headersOf(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

function bodyText(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  throw new TypeError('http-fetch sends string bodies only (tRPC sends JSON text)');
}

function urlOf(input: Parameters<typeof fetch>[0]): URL {
  if (input instanceof URL) return input;
  return new URL(typeof input === 'string' ? input : input.url);
}

export function createHttpFetch(maxSockets = 512): { fetch: typeof fetch; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const call = (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<CallResponse> =>
    new Promise((resolve, reject) => {
      const request = http.request(
        urlOf(input),
        {
          method: init?.method ?? 'GET',
          headers: init?.headers as Record<string, string> | undefined,
          agent,
          signal: init?.signal ?? undefined,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            resolve({
              ok: status >= 200 && status < 300,
              status,
              headers: headersOf(response.rawHeaders),
              json: async () => JSON.parse(text),
              text: async () => text,
            });
          });
        },
      );
      request.on('error', reject);
      request.end(bodyText(init?.body));
    });
  return {
    // The typed client reads only the members of CallResponse.
    fetch: call as unknown as typeof fetch,
    close: () => agent.destroy(),
  };
}
