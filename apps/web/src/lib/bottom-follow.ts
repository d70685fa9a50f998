/**
 * Whether a message list still follows its bottom (new messages scroll into
 * view) or the person has scrolled away from it. Pure; the browser side is
 * components/messages/use-chat-scroll.ts.
 *
 * The list's own scroll to the bottom is reported by a scroll event one frame
 * later, and more content may have been added below in between (two messages
 * of one stream batch, or one arriving just after one's own send) before the
 * resize observer follows it. That event finds the view above the bottom
 * though nobody scrolled up; taken as the person leaving the bottom, the list
 * stopped following and stopped marking the chat read. Only a move up, or a
 * scroll that ends away from the bottom, lets go of it.
 */

/** Within this of the bottom counts as "at the bottom". */
export const BOTTOM_SLACK_PX = 32;

export interface BottomFollow {
  /** New content should scroll into view. */
  following: boolean;
  /** Where the view was last put or found (`scrollTop`). */
  top: number;
}

/** The list put the view at `top`, `distance` px above the bottom (a scroll of its own). */
export function placedAt(top: number, distance: number): BottomFollow {
  return { following: distance <= BOTTOM_SLACK_PX, top };
}

/** A scroll event found the view at `top`, `distance` px above the bottom. */
export function scrolledTo(before: BottomFollow, top: number, distance: number): BottomFollow {
  const following = distance <= BOTTOM_SLACK_PX || (before.following && top >= before.top);
  return { following, top };
}
