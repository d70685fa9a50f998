export * from './chats';
export * from './contacts';
export * from './event-log';
export * from './events';
export * from './messages';
export * from './rate-limits';
export * from './sessions';
export * from './users';
