export * from './client';
export { DatabaseDeadlineError } from './deadline';
export * from './schema';
