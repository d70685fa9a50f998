import { describe, expect, it } from 'vitest';
import { parseRateLimits, RATE_LIMIT_DEFAULTS, resolveRateLimits } from './rules';

describe('parseRateLimits', () => {
  it('reads name=points/seconds pairs', () => {
    expect(parseRateLimits('message.send=300/60, register=5/3600,')).toEqual({
      'message.send': { points: 300, seconds: 60 },
      register: { points: 5, seconds: 3600 },
    });
  });

  it.each(['send=1/1', 'message.send=1', 'message.send=0/60', 'message.send=-1/60', 'search=1/0'])(
    'refuses %j, naming it',
    (value) => {
      expect(() => parseRateLimits(value)).toThrow(/"/);
    },
  );

  it('fills what is not overridden with the defaults', () => {
    const rules = resolveRateLimits({ search: { points: 1, seconds: 1 } }, undefined);
    expect(rules.search).toEqual({ points: 1, seconds: 1 });
    expect(rules.upload).toEqual(RATE_LIMIT_DEFAULTS.upload);
  });
});
