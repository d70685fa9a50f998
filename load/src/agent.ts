/** One agent: its share of the connections, its sender and its books. The same object runs in-process or in a worker. */
import { RawClients } from './ceilings/raw-clients';
import { Connections } from './connections';
import { Histogram } from './histogram';
import { Ledger } from './ledger';
import { Sender } from './sender';
import type { AgentApi, AgentShare, Progress } from './share';

export class Agent implements AgentApi {
  private readonly ledger = new Ledger();
  private connections: Connections | undefined;
  private sender: Sender | undefined;
  private raw: RawClients | undefined;

  constructor(private readonly index: number) {}

  async start(share: AgentShare) {
    this.connections = new Connections(share, this.ledger);
    this.sender = new Sender(share, this.connections, this.ledger, this.index);
    return this.connections.open();
  }

  async go(startAt: number): Promise<void> {
    this.sender?.start(startAt);
  }

  async stopSending(): Promise<void> {
    this.sender?.stop();
  }

  async storm(share: number) {
    if (!this.connections) throw new Error('storm before start');
    return this.connections.storm(share, 60_000);
  }

  async progress(): Promise<Progress> {
    const l = this.ledger;
    const window = this.windowSince();
    return {
      connections: this.connections?.all.length ?? 0,
      ready: this.connections?.readyCount ?? 0,
      sent: l.sent,
      acked: l.ackedCount,
      delivered: l.delivered,
      duplicates: l.duplicates,
      owed: l.owed,
      sendFailed: l.sendFailed,
      errors: [...l.errors.values()].reduce((a, b) => a + b, 0),
      window,
    };
  }

  /** Latency percentiles over the deliveries since the last call. */
  private windowSince(): Progress['window'] {
    const h = this.ledger.recentLatency;
    this.ledger.recentLatency = new Histogram();
    return { count: h.count, p50: h.percentile(50), p99: h.percentile(99) };
  }

  async report() {
    return this.ledger.report(this.connections?.down() ?? []);
  }

  async rawConnect(url: string, count: number): Promise<void> {
    this.raw ??= new RawClients();
    await this.raw.connect(url, count);
  }

  async rawResult() {
    const result = this.raw?.result() ?? { delivered: 0, latency: new Histogram().toData() };
    this.raw?.close();
    this.raw = undefined;
    return result;
  }

  async pid(): Promise<number> {
    return process.pid;
  }

  async disconnect(): Promise<void> {
    this.sender?.stop();
    this.connections?.close();
  }

  async close(): Promise<void> {
    this.sender?.stop();
    this.connections?.close();
    this.raw?.close();
  }
}
