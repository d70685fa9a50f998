import { For } from 'solid-js';
import { detectPlatform, type Key, keyCap } from '../../lib/keys';
import { SHORTCUTS } from '../../lib/shortcuts';
import { Dialog } from '../dialog';

/** `?`: every shortcut, with the keys of the user's own platform (⌘ on a Mac, Ctrl elsewhere). */
export function ShortcutsDialog(props: { onClose(): void }) {
  const platform = detectPlatform();
  return (
    <Dialog title="Keyboard shortcuts" onClose={props.onClose}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls on a small screen, and the keyboard must reach what is below (WCAG 2.1.1) */}
      <section class="shortcuts" data-platform={platform} tabIndex={0} aria-label="Shortcuts">
        <div class="shortcut-columns">
          <For each={SHORTCUTS}>
            {(group) => (
              <section class="shortcut-group">
                <h3>{group.title}</h3>
                <dl>
                  <For each={group.shortcuts}>
                    {(shortcut) => (
                      <div class="shortcut">
                        <dt>{shortcut.what}</dt>
                        <dd>
                          <For each={shortcut.keys}>
                            {(combo, i) => (
                              <>
                                {i() > 0 ? <span class="shortcut-or"> or </span> : null}
                                <Combo keys={combo} mac={platform === 'mac'} />
                              </>
                            )}
                          </For>
                        </dd>
                      </div>
                    )}
                  </For>
                </dl>
              </section>
            )}
          </For>
        </div>
      </section>
    </Dialog>
  );
}

/** Each key a <kbd>; "+" between them except on a Mac, whose menus write ⌘K. */
function Combo(props: { keys: Key[]; mac: boolean }) {
  const platform = props.mac ? 'mac' : 'other';
  return (
    <kbd class="combo">
      <For each={props.keys}>
        {(key, i) => (
          <>
            {i() > 0 && !props.mac ? '+' : null}
            <kbd>{keyCap(key, platform)}</kbd>
          </>
        )}
      </For>
    </kbd>
  );
}
