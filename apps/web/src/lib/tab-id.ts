/**
 * This tab's name for the server: sent with its event stream, and with its
 * idle reports (`presence.setIdle`), so that the server can tell when every
 * tab of the user is idle (docs/presence.md, "Status"). New on each load.
 */
import { newMessageId } from './uuid';

export const TAB_ID = newMessageId();
