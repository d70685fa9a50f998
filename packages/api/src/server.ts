/** What the server process imports to assemble the API. */

export { type BlobStore, createBlobStore, LocalBlobStore, S3BlobStore } from './blobs';
export { AdvancingClock, type Clock, systemClock } from './clock';
export { type Composed, type ComposeOptions, composeDeps } from './compose';
export { authenticate, type Context, PresentedSession, presentSession, type RequestMeta } from './context';
export type { Deps } from './deps';
export { createSessionService, SESSION_COOKIE } from './domain/auth/sessions';
export { createLoginThrottle } from './domain/auth/throttle';
export { pruneEvents } from './domain/events/retention';
export { createRateLimits, type RateLimits } from './domain/limits/limiter';
export {
  parseRateLimits,
  RATE_LIMIT_DEFAULTS,
  type RateLimitName,
  type RateLimitOverrides,
  type RateLimitRule,
  type RateLimitRules,
  resolveRateLimits,
} from './domain/limits/rules';
export { MAX_IMAGE_BYTES } from './domain/media/images';
export { openFile, openImage, removeUnattached, storeUpload } from './domain/media/uploads';
export { DomainError } from './errors';
export { ATTACH, EventStream, toStreamError } from './event-stream';
export type { Logger } from './logger';
export type { Hub, LongPollRequest, LongPolls, OutageReport, Presence, Sink } from './ports';
export { EventHub, type HubCounters } from './realtime/hub';
export { LiveStream, type StreamEnd, type StreamOutlet } from './realtime/live-stream';
export { LongPollService, MAILBOX_KEEP_MS } from './realtime/long-poll';
export { PresenceService } from './realtime/presence';
export type { AppRouter } from './routers';
export { appRouter } from './routers';
export { toTRPCError } from './trpc';
export { databaseUnavailable, isDatabaseUnavailable } from './unavailable';
