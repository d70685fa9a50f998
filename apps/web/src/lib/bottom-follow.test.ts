import { describe, expect, it } from 'vitest';
import { BOTTOM_SLACK_PX, placedAt, scrolledTo } from './bottom-follow';

describe('following the bottom of a message list', () => {
  it('keeps following when its own scroll to the bottom is reported after more content came below', () => {
    // As recorded in Chromium (issue 26): put at the bottom (scrollTop 274), then a message of
    // 69 px is added before the scroll event, which finds the view 69 px above the bottom.
    const atBottom = placedAt(274, 0);
    expect(scrolledTo(atBottom, 274, 69).following).toBe(true);
    // Even several messages at once (one stream batch).
    expect(scrolledTo(atBottom, 274, 400).following).toBe(true);
  });

  it('lets go when the person scrolls up, however little', () => {
    const atBottom = placedAt(274, 0);
    expect(scrolledTo(atBottom, 273, BOTTOM_SLACK_PX + 1).following).toBe(false);
    // While content is added below at the same time.
    expect(scrolledTo(atBottom, 200, 143).following).toBe(false);
  });

  it('follows again once scrolled back to the bottom, and not before', () => {
    const away = scrolledTo(placedAt(274, 0), 100, 174);
    const lower = scrolledTo(away, 200, 74);
    expect(lower.following).toBe(false);
    expect(scrolledTo(lower, 260, BOTTOM_SLACK_PX).following).toBe(true);
  });

  it('still follows when shorter content pulls the view up to the new bottom', () => {
    // A message deleted or the composer shrinking: the browser moves scrollTop up, at the bottom.
    expect(scrolledTo(placedAt(274, 0), 230, 0).following).toBe(true);
  });

  it('does not follow when its own scroll left the view away from the bottom', () => {
    // A permalink's target or the first unread shown mid-list.
    const revealed = placedAt(120, 500);
    expect(revealed.following).toBe(false);
    expect(scrolledTo(revealed, 120, 500).following).toBe(false);
  });
});
