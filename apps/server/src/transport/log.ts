/** Where the transport logs (pino's signature): a call's internal error, a client cut for not reading. */
export interface TransportLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
