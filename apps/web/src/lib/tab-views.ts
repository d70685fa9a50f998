/**
 * Which chat each of this user's tabs in this browser shows, and whether
 * someone is looking at it: the leader tab (lib/tab-leader.ts) notifies for
 * every tab, so it must know that another tab has the chat on screen. Tabs
 * tell each other on a BroadcastChannel when their view changes, and again
 * every few seconds; a view not heard of for a while is dropped.
 */

export interface TabView {
  tab: string;
  chatId: string | null;
  attended: boolean;
  gone?: boolean;
}

export const VIEW_REPEAT_MS = 5_000;
export const VIEW_EXPIRY_MS = 3 * VIEW_REPEAT_MS;

/** Other tabs' views, as last heard. */
export class TabViews {
  private readonly views = new Map<string, { view: TabView; heard: number }>();

  hear(view: TabView, now: number): void {
    if (view.gone) this.views.delete(view.tab);
    else this.views.set(view.tab, { view, heard: now });
  }

  /** Whether some tab heard of lately is attended with `chatId` open. */
  onScreen(chatId: string, now: number): boolean {
    for (const [tab, { view, heard }] of this.views) {
      if (now - heard > VIEW_EXPIRY_MS) this.views.delete(tab);
      else if (view.attended && view.chatId === chatId) return true;
    }
    return false;
  }
}
