/**
 * Every keyboard shortcut the app has, in the words the "Keyboard shortcuts"
 * dialog (`?`) shows. Where the keys are handled: components/keyboard/
 * (switcher, chat to chat, this dialog) and components/messages/ (composer,
 * message editor).
 */
import type { Key } from './keys';

export interface Shortcut {
  /** Each entry is one way to do it, e.g. [['Alt', 'ArrowUp']]. */
  keys: Key[][];
  what: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: 'Anywhere',
    shortcuts: [
      { keys: [['Mod', 'K']], what: 'Jump to a chat or contact' },
      { keys: [['Alt', 'ArrowUp']], what: 'Previous chat in the list' },
      { keys: [['Alt', 'ArrowDown']], what: 'Next chat in the list' },
      { keys: [['?']], what: 'Show these shortcuts (outside a text field)' },
      { keys: [['Escape']], what: 'Close a dialog or menu' },
    ],
  },
  {
    title: 'Writing a message',
    shortcuts: [
      { keys: [['Enter']], what: 'Send' },
      { keys: [['Shift', 'Enter']], what: 'New line' },
      { keys: [['ArrowUp']], what: 'Edit your last message (in an empty message box)' },
      { keys: [['Mod', 'B']], what: 'Bold' },
      { keys: [['Mod', 'I']], what: 'Italic' },
      { keys: [['Mod', 'Shift', 'X']], what: 'Strikethrough' },
      { keys: [['Mod', 'E']], what: 'Code' },
    ],
  },
  {
    title: 'Editing a message',
    shortcuts: [
      { keys: [['Enter']], what: 'Save' },
      { keys: [['Escape']], what: 'Stop editing without saving' },
    ],
  },
  {
    title: 'Chat switcher and search results',
    shortcuts: [
      { keys: [['ArrowUp'], ['ArrowDown']], what: 'Move through the list' },
      { keys: [['Enter']], what: 'Open' },
      { keys: [['Escape']], what: 'Close' },
    ],
  },
];
