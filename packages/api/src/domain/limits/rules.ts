/**
 * Rate limits: how many times each action may be taken per key (a user, an
 * address, an account) in a fixed window. Operators override them with
 * `RATE_LIMITS` (see parseRateLimits); tests raise or lower them.
 */
export interface RateLimitRule {
  /** Actions allowed in one window. */
  points: number;
  /** Window length in seconds. */
  seconds: number;
}

export const RATE_LIMIT_DEFAULTS = {
  /** Messages sent, per user (retries of one message count too; a person never gets near). */
  'message.send': { points: 120, seconds: 60 },
  /** Edits, deletions and reactions, per user. */
  'message.change': { points: 120, seconds: 60 },
  /** Contact requests, per user: the one way to reach a stranger. */
  'contact.request': { points: 30, seconds: 3600 },
  /** Blocks and unblocks, per user (a block also ends a contact, which reaches the other side). */
  'block.change': { points: 60, seconds: 3600 },
  /** Groups created, per user. */
  'group.create': { points: 30, seconds: 3600 },
  /** Renames, member changes, leaving and deleting groups, per user (each reaches every member). */
  'group.change': { points: 120, seconds: 60 },
  /** Profile changes, per user (each reaches every contact). */
  'profile.update': { points: 30, seconds: 60 },
  /** Status changes and tabs' idle reports, per user (each is a NOTIFY, and a status reaches every contact). */
  'presence.change': { points: 120, seconds: 60 },
  /** Image and file uploads, per user (an image costs a decode and a re-encode; a file, its bytes stored). */
  upload: { points: 60, seconds: 600 },
  /** Searches, per user (the most expensive query). */
  search: { points: 60, seconds: 60 },
  /**
   * Accounts registered, per address. An office behind one NAT registers
   * together on its first morning (200 people and their retries fit); a
   * script from one address is still held to a few a minute on average.
   */
  register: { points: 500, seconds: 3600 },
  /** Failed sign-ins (and wrong current passwords), per account; a success clears it. */
  'login.account': { points: 10, seconds: 900 },
  /**
   * Failed sign-ins, per address: an office's typos on its first morning fit;
   * guessing one account's password is held by `login.account`.
   */
  'login.address': { points: 200, seconds: 900 },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof RATE_LIMIT_DEFAULTS;
export type RateLimitRules = Record<RateLimitName, RateLimitRule>;
export type RateLimitOverrides = Partial<Record<RateLimitName, RateLimitRule>>;

export const RATE_LIMIT_NAMES = Object.keys(RATE_LIMIT_DEFAULTS) as RateLimitName[];

const isName = (v: string): v is RateLimitName => v in RATE_LIMIT_DEFAULTS;

/** What a refused caller reads. */
export const RATE_LIMIT_MESSAGES: Record<RateLimitName, string> = {
  'message.send': 'You are sending messages too fast. Wait a moment and try again.',
  'message.change': 'You are changing messages too fast. Wait a moment and try again.',
  'contact.request': 'You have sent too many contact requests. Try again later.',
  'block.change': 'You have blocked and unblocked people too often. Try again later.',
  'group.create': 'You have created too many groups. Try again later.',
  'group.change': 'You are changing groups too fast. Wait a moment and try again.',
  'profile.update': 'You are changing your profile too fast. Wait a moment and try again.',
  'presence.change': 'You are changing your status too fast. Wait a moment and try again.',
  upload: 'You have uploaded too many images. Try again later.',
  search: 'You are searching too fast. Wait a moment and try again.',
  register: 'Too many accounts were created from your network. Try again later.',
  'login.account': 'Too many failed sign-in attempts. Try again later.',
  'login.address': 'Too many failed sign-in attempts. Try again later.',
};

/**
 * Reads `name=points/seconds` pairs separated by commas, e.g.
 * `message.send=300/60,register=100/3600`. Throws naming the bad part.
 */
export function parseRateLimits(value: string): RateLimitOverrides {
  const out: RateLimitOverrides = {};
  for (const part of value.split(',').map((p) => p.trim())) {
    if (!part) continue;
    const match = /^([a-z.]+)=(\d{1,9})\/(\d{1,9})$/.exec(part);
    if (!match) throw new Error(`"${part}" is not name=points/seconds`);
    const [, name = '', points, seconds] = match;
    if (!isName(name)) throw new Error(`"${name}" is not a rate limit (one of ${RATE_LIMIT_NAMES.join(', ')})`);
    const rule = { points: Number(points), seconds: Number(seconds) };
    if (rule.points < 1 || rule.seconds < 1) throw new Error(`"${part}": points and seconds must be at least 1`);
    out[name] = rule;
  }
  return out;
}

export function resolveRateLimits(...overrides: (RateLimitOverrides | undefined)[]): RateLimitRules {
  return Object.assign({}, RATE_LIMIT_DEFAULTS, ...overrides.filter(Boolean)) as RateLimitRules;
}
