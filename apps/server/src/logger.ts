import pino from 'pino';

export type AppLogger = pino.Logger;

/** JSON lines in production; readable lines on a terminal. */
export function createLogger(level: string): AppLogger {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  return pino({
    level,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss' } } } : {}),
  });
}
