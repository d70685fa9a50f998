import { describe, expect, it } from 'vitest';
import { helpText, parseOptions, UsageError } from './options';

describe('options', () => {
  it('parses a full command line', () => {
    const o = parseOptions([
      '--',
      '--users',
      '1000',
      '--groups',
      '100x3-50,20x300:2',
      '--direct-share',
      '0.6',
      '--transport',
      'sse',
    ]);
    expect(o.users).toBe(1000);
    expect(o.groups).toEqual([
      { count: 100, min: 3, max: 50, weight: 1 },
      { count: 20, min: 300, max: 300, weight: 2 },
    ]);
    expect(o['direct-share']).toBe(0.6);
    expect(o.transport).toBe('sse');
    expect(o.reader).toBe('raw');
    expect(parseOptions(['--storm-at', '10, 25,40'])['storm-at']).toEqual([10, 25, 40]);
    expect(parseOptions(['--reader', 'typed']).reader).toBe('typed');
    expect(o.fetch).toBe('lean');
    expect(parseOptions(['--fetch', 'global']).fetch).toBe('global');
  });

  it('long-polls over poll (longpoll is the same), held 25 s unless --poll-wait says otherwise', () => {
    expect(parseOptions(['--transport', 'poll'])).toMatchObject({ transport: 'poll', 'poll-wait': 25_000 });
    expect(parseOptions(['--transport', 'longpoll']).transport).toBe('poll');
    expect(parseOptions(['--transport', 'poll', '--poll-wait', '0'])['poll-wait']).toBe(0);
    expect(() => parseOptions(['--poll-wait', '30000'])).toThrow(/--poll-wait: must be at most 25000/);
    expect(() => parseOptions(['--poll-wait', '-1'])).toThrow(/--poll-wait/);
  });

  it('sends everything one-to-one without groups, and into groups when there are some', () => {
    expect(parseOptions([])['direct-share']).toBe(1);
    expect(parseOptions(['--groups', '2x10'])['direct-share']).toBe(0);
  });

  it('names each bad option', () => {
    const bad = () => parseOptions(['--users', 'many', '--transport', 'carrier-pigeon', '--groups', '1x400']);
    expect(bad).toThrow(UsageError);
    expect(bad).toThrow(/--users: .*number/);
    expect(bad).toThrow(/--transport/);
    expect(bad).toThrow(/--groups: .*300 members/);
    expect(() => parseOptions(['--seed', 'db'])).toThrow(/--database-url: is required with --seed db/);
    expect(() => parseOptions(['--frobnicate'])).toThrow(/Unknown option/);
    expect(() => parseOptions(['--reader', 'psychic'])).toThrow(/--reader/);
    expect(() => parseOptions(['--send-over', 'pigeon'])).toThrow(/--send-over/);
    expect(() => parseOptions(['--send-over', 'ws', '--transport', 'sse'])).toThrow(/--send-over ws needs/);
    expect(() => parseOptions(['--send-over', 'ws', '--reader', 'typed'])).toThrow(/--send-over ws needs/);
    expect(parseOptions(['--send-over', 'ws'])['send-over']).toBe('ws');
    expect(() => parseOptions(['--storm-at', '10,5'])).toThrow(/--storm-at: must be in increasing order/);
    expect(() => parseOptions(['--storm-at', 'soon'])).toThrow(/--storm-at: must be seconds/);
    expect(() => parseOptions(['--storm-at', '10,'])).toThrow(/--storm-at: must be seconds/);
    expect(() => parseOptions(['--storm-at', ''])).toThrow(/--storm-at: must be seconds/);
    expect(() => parseOptions(['--storm-at=-5'])).toThrow(/--storm-at: must be seconds/);
  });

  it('documents every option in --help', () => {
    for (const flag of [
      '--users',
      '--connections',
      '--groups',
      '--direct-share',
      '--rate',
      '--duration',
      '--ramp-up',
      '--transport',
      '--reader',
      '--poll-wait',
      '--poll-interval',
      '--fetch',
      '--seed',
      '--workers',
      '--ceilings',
      '--start-server',
    ]) {
      expect(helpText()).toContain(flag);
    }
  });
});
