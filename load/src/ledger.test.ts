import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram';
import { Ledger, tally } from './ledger';

describe('ledger', () => {
  const audience = () => 3;

  it('counts an owed delivery that never came as lost', () => {
    const sender = new Ledger();
    sender.recordSent();
    sender.recordAck('c1', 1, 5, 3);
    const receiver = new Ledger();
    receiver.recordDelivery(0, 'c1', 1, 2);
    receiver.recordDelivery(1, 'c1', 1, 3);
    const t = tally([sender.report(), receiver.report()], audience);
    expect(t).toMatchObject({ sent: 1, stored: 1, expected: 3, delivered: 2, lost: 1, duplicated: 0 });
  });

  it('counts a second delivery of one seq to one connection as duplicated', () => {
    const l = new Ledger();
    l.recordSent();
    l.recordAck('c1', 1, 5, 3);
    for (const conn of [0, 1, 2]) l.recordDelivery(conn, 'c1', 1, 1);
    expect(l.recordDelivery(2, 'c1', 1, 1)).toBe('duplicate');
    const t = tally([l.report()], audience);
    expect(t).toMatchObject({ expected: 3, delivered: 3, lost: 0, duplicated: 1 });
  });

  it('says how much of what was lost was owed to connections not live at the end', () => {
    const sender = new Ledger();
    for (const seq of [1, 2, 3, 9]) sender.recordAck('c1', seq, 5, 3);
    sender.recordAck('c2', 1, 5, 3);
    const receiver = new Ledger();
    // Connections 0 and 1 got all of c1 (seq 9 sits in the bitmap's second byte); connection 2 dropped after seq 1.
    for (const seq of [1, 2, 3, 9]) for (const conn of [0, 1]) receiver.recordDelivery(conn, 'c1', seq, 1);
    receiver.recordDelivery(2, 'c1', 1, 1);
    expect(receiver.receivedBy(2)).toEqual({ c1: [1] });
    expect(receiver.receivedBy(0)).toEqual({ c1: [1, 2, 3, 9] });
    const down = [{ chats: ['c1'], received: receiver.receivedBy(2) }];
    const t = tally([sender.report(), receiver.report(down)], audience);
    // c2's seq 1 reached nobody (3 lost, none to the dropped connection); c1 lost 3, all of them its.
    expect(t).toMatchObject({ lost: 6, down: { connections: 1, lost: 3 } });
    expect(tally([sender.report(), receiver.report()], audience).down).toEqual({ connections: 0, lost: 0 });
  });

  it('keeps deliveries of unacknowledged sends apart', () => {
    const l = new Ledger();
    l.recordSent();
    l.recordSendFailure('send:timeout');
    l.recordDelivery(0, 'c1', 7, 1);
    const t = tally([l.report()], audience);
    expect(t).toMatchObject({ stored: 0, expected: 0, lost: 0, deliveredUnacked: 1, errors: { 'send:timeout': 1 } });
  });
});

describe('histogram', () => {
  it('gives percentiles within 1% and merges', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let i = 1; i <= 1000; i++) (i % 2 ? a : b).record(i / 10);
    a.merge(b.toData());
    expect(a.count).toBe(1000);
    expect(a.percentile(50)).toBeGreaterThan(49.5);
    expect(a.percentile(50)).toBeLessThan(50.6);
    expect(a.percentile(99)).toBeGreaterThan(98.9);
    expect(a.max).toBe(100);
  });
});
