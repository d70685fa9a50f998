/** What one agent (a process's share of the run) is given, and what it reports. Plain data: it crosses IPC. */
import type { Transport } from '@chat/api/client';
import type { LedgerReport } from './ledger';

export interface ShareUser {
  /** Index in the plan (and the population). */
  index: number;
  username: string;
  cookie: string | null;
}

export interface ShareChat {
  id: string;
  klass: number;
  members: number[];
}

export interface AgentShare {
  urls: string[];
  transport: Transport;
  /** How a WebSocket stream is read: frames parsed by the tool (raw) or through the typed client. */
  reader: 'raw' | 'typed';
  /** Sends as HTTP requests through the typed client, or as mutations on the sender's own WebSocket (raw reader). */
  sendOver: 'http' | 'ws';
  /** The fetch under the typed client's calls: keep-alive `node:http` (lean) or Node's own (global). */
  fetch: 'lean' | 'global';
  /** How long the server may hold each poll (long-polling); 0: a poll every `pollIntervalMs`. */
  pollWaitMs: number;
  pollIntervalMs: number;
  connectionsPerUser: number;
  rampUpMs: number;
  readyTimeoutMs: number;
  sendTimeoutMs: number;
  bodySize: number;
  /** This agent's share of the send rate (msg/s). */
  rate: number;
  classWeights: number[];
  seed: number;
  loginConcurrency: number;
  password: string;
  users: ShareUser[];
  /** Every chat of the plan (the audience of a sent message is counted from it). */
  chats: ShareChat[];
}

export interface StartResult {
  connections: number;
  ready: number;
  /** ms from the first connection to the last ready stream. */
  rampMs: number;
}

export interface Progress {
  connections: number;
  ready: number;
  sent: number;
  acked: number;
  delivered: number;
  duplicates: number;
  owed: number;
  sendFailed: number;
  errors: number;
  /** Delivery latency samples since the previous progress call. */
  window: { count: number; p50: number; p99: number };
}

export interface StormResult {
  dropped: number;
  resumed: number;
  /** ms from the drop to the last dropped connection's stream being live again. */
  resumeMs: number;
}

export interface RawResult {
  delivered: number;
  latency: LedgerReport['latency'];
}

export type AgentReport = LedgerReport;

/** What the coordinator can ask of an agent, in-process or in a child process alike. */
export interface AgentApi {
  start(share: AgentShare): Promise<StartResult>;
  go(startAt: number): Promise<void>;
  stopSending(): Promise<void>;
  storm(share: number): Promise<StormResult>;
  progress(): Promise<Progress>;
  report(): Promise<AgentReport>;
  /** Ceiling: plain WebSocket clients that count frames (no tRPC, no JSON decoding beyond a timestamp). */
  rawConnect(url: string, count: number): Promise<void>;
  rawResult(): Promise<RawResult>;
  /** The agent's process id (for its CPU). */
  pid(): Promise<number>;
  /** Closes every connection; the agent stays (for the ceilings). */
  disconnect(): Promise<void>;
  /** Closes everything; a worker process exits. */
  close(): Promise<void>;
}
