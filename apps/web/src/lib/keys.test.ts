import { describe, expect, it } from 'vitest';
import { comboLabel, detectPlatform, modPressed } from './keys';

describe('keys per platform', () => {
  it('tells a Mac (and an iPad) from the rest', () => {
    expect(detectPlatform({ platform: 'MacIntel', userAgent: '' })).toBe('mac');
    expect(detectPlatform({ platform: 'iPad', userAgent: '' })).toBe('mac');
    expect(detectPlatform({ platform: 'Linux x86_64', userAgent: '' })).toBe('other');
    expect(detectPlatform({ platform: 'Win32', userAgent: '' })).toBe('other');
  });

  it('writes ⌘ and ⌥ on a Mac, Ctrl and Alt elsewhere', () => {
    expect(comboLabel(['Mod', 'K'], 'mac')).toBe('⌘K');
    expect(comboLabel(['Mod', 'K'], 'other')).toBe('Ctrl+K');
    expect(comboLabel(['Alt', 'ArrowUp'], 'mac')).toBe('⌥↑');
    expect(comboLabel(['Mod', 'Shift', 'X'], 'other')).toBe('Ctrl+Shift+X');
  });

  it('takes ⌘ as the command key on a Mac and Ctrl elsewhere', () => {
    expect(modPressed({ metaKey: true, ctrlKey: false }, 'mac')).toBe(true);
    expect(modPressed({ metaKey: false, ctrlKey: true }, 'mac')).toBe(false);
    expect(modPressed({ metaKey: false, ctrlKey: true }, 'other')).toBe(true);
    expect(modPressed({ metaKey: true, ctrlKey: false }, 'other')).toBe(false);
  });
});
