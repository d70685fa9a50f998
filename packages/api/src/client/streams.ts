/**
 * The event stream's transports and their automatic choice, without the Node
 * client's `ws` and `eventsource`: what the web app imports
 * (`@chat/api/client/streams`).
 */
export * from './stream-attempts';
export * from './transport-choice';
