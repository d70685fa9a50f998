/**
 * The server's message limit (packages/api domain/messages/rules.ts). Copied,
 * not imported: importing values from @chat/api would bundle its zod schemas
 * into the SPA.
 */
export const MESSAGE_MAX_LENGTH = 4000;
/** The composer shows the count from here on. */
export const LENGTH_WARNING_FROM = 3500;
