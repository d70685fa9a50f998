/**
 * Sends this agent's share of the messages at a steady rate: each tick it
 * issues what the clock says is due, picking a message class by the mix,
 * a chat of that class, and one of the chat's members held by this agent as
 * the sender. A message carries its send time; its ack (the committed
 * message, with its seq) goes to the ledger.
 */
import { randomUUID } from 'node:crypto';
import { encodeBody, now } from './body';
import type { Connections } from './connections';
import type { Ledger } from './ledger';
import { pickWeighted, random } from './plan';
import type { AgentShare, ShareChat } from './share';
import { errorKind } from './stream';

const TICK_MS = 5;
/** Past this many unanswered sends the agent stops issuing (and falls behind schedule, which shows). */
const MAX_IN_FLIGHT = 5_000;

interface SendableChat {
  chat: ShareChat;
  /** Members held by this agent. */
  senders: number[];
}

export class Sender {
  private readonly classes: Array<{ weight: number; chats: SendableChat[] }>;
  private readonly rnd: () => number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private issued = 0;
  private inFlight = 0;

  constructor(
    private readonly share: AgentShare,
    private readonly connections: Connections,
    private readonly ledger: Ledger,
    agentIndex: number,
  ) {
    this.rnd = random(share.seed * 7919 + agentIndex + 1);
    const held = new Set(share.users.map((u) => u.index));
    this.classes = share.classWeights.map((weight, klass) => ({
      weight,
      chats: share.chats
        .filter((c) => c.klass === klass)
        .map((chat) => ({ chat, senders: chat.members.filter((m) => held.has(m)) }))
        .filter((c) => c.senders.length > 0),
    }));
    for (const c of this.classes) if (c.chats.length === 0) c.weight = 0;
  }

  start(startAt: number): void {
    const total = this.classes.reduce((s, c) => s + c.weight, 0);
    if (this.share.rate <= 0 || total <= 0) return;
    this.timer = setInterval(() => {
      const due = Math.floor(((now() - startAt) / 1000) * this.share.rate) - this.issued;
      for (let i = 0; i < due && this.inFlight < MAX_IN_FLIGHT; i++) this.sendOne();
    }, TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.rnd() * items.length)] as T;
  }

  private sendOne(): void {
    const klass =
      this.classes[
        pickWeighted(
          this.classes.map((c) => c.weight),
          this.rnd(),
        )
      ];
    if (!klass) return;
    const { chat, senders } = this.pick(klass.chats);
    const conn = this.connections.byUser.get(this.pick(senders));
    this.issued += 1;
    if (!conn) {
      this.ledger.recordError('send:not-connected (skipped)');
      return;
    }
    const audience = chat.members.length * this.share.connectionsPerUser;
    const sentAt = now();
    this.ledger.recordSent();
    this.inFlight += 1;
    const input = { id: randomUUID(), chatId: chat.id, body: encodeBody(sentAt, this.share.bodySize) };
    const overSocket = this.share.sendOver === 'ws' ? conn.follower?.mutate : undefined;
    const sent: Promise<{ chatId: string; seq: number }> = overSocket
      ? (overSocket('message.send', input, this.share.sendTimeoutMs) as Promise<{ chatId: string; seq: number }>)
      : conn.client.api.message.send.mutate(input, { signal: AbortSignal.timeout(this.share.sendTimeoutMs) });
    sent
      .then(
        (message) => this.ledger.recordAck(message.chatId, message.seq, now() - sentAt, audience),
        (error: unknown) => this.ledger.recordSendFailure(`send:${errorKind(error)}`, String(error)),
      )
      .finally(() => {
        this.inFlight -= 1;
      });
  }
}
