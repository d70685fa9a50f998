/** What the web app and other clients may import: types only at runtime boundaries. */

export { PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from './domain/auth/rules';
export type { SessionUser } from './domain/auth/sessions';
export type { BlockedPerson } from './domain/blocks/blocks';
export type { ChatDetails } from './domain/chats/groups';
export type { LinePerson, SystemLine } from './domain/chats/line-view';
export type { ChatReadState, ChatSummary } from './domain/chats/view';
export type { PendingRequests, RequestOutcome } from './domain/contacts/requests';
export type { ChatEvent, EphemeralItem, EventPayloads, EventType, StreamItem } from './domain/events/types';
export type { Author } from './domain/messages/authors';
export { MESSAGE_MAX_LENGTH } from './domain/messages/rules';
export type { Reader, SeenBy } from './domain/messages/seen-by';
export type { MessageView } from './domain/messages/view';
export type { PresenceState, UserStatus } from './domain/presence/state';
export type { Profile } from './domain/profiles/summary';
export type { SearchChat, SearchHit, SearchPage, SearchPerson, SnippetSegment } from './domain/search';
export type { AppRouter } from './routers';
