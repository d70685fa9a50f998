/**
 * The client side of the bare-ws ceiling: plain WebSocket connections that
 * count frames and read the send time from each (the same `load:<ms>` marker
 * as real messages), with no tRPC and no JSON decoding.
 */
import WebSocket from 'ws';
import { decodeSentAt, now } from '../body';
import { Histogram } from '../histogram';
import type { RawResult } from '../share';

const MARK = 'load:';

export class RawClients {
  private readonly sockets: WebSocket[] = [];
  private readonly latency = new Histogram();
  private delivered = 0;

  async connect(url: string, count: number): Promise<void> {
    const opening: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      const ws = new WebSocket(url);
      this.sockets.push(ws);
      ws.on('message', (data: Buffer) => {
        const text = data.toString();
        const at = text.indexOf(MARK);
        const sentAt = at < 0 ? undefined : decodeSentAt(text.slice(at, at + 40));
        this.delivered += 1;
        if (sentAt !== undefined) this.latency.record(now() - sentAt);
      });
      opening.push(
        new Promise((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        }),
      );
      if (i % 500 === 499) await Promise.all(opening.slice(-500));
    }
    await Promise.all(opening);
  }

  result(): RawResult {
    return { delivered: this.delivered, latency: this.latency.toData() };
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.length = 0;
  }
}
