/** Settings › Appearance: the colour theme (System, Light, Dark), kept in this browser. */
import { For } from 'solid-js';
import { chooseTheme, type ThemeChoice, themeChoice } from '../../stores/theme';

const OPTIONS: { value: ThemeChoice; label: string; hint: string }[] = [
  { value: 'system', label: 'System', hint: 'Light or dark as your device is set, changing when it does.' },
  { value: 'light', label: 'Light', hint: 'Dark text on a light background.' },
  { value: 'dark', label: 'Dark', hint: 'Light text on a dark background, easier in the evening.' },
];

export function ThemeSection() {
  return (
    <section class="card" aria-labelledby="appearance-title">
      <h2 id="appearance-title" class="card-title">
        Appearance
      </h2>
      <fieldset class="choice-group">
        <legend>Theme</legend>
        <p class="muted">For this browser.</p>
        <For each={OPTIONS}>
          {(option) => (
            <label class="toggle-row">
              <input
                type="radio"
                name="theme"
                value={option.value}
                checked={themeChoice() === option.value}
                onChange={() => chooseTheme(option.value)}
              />
              <span>
                <span class="toggle-label">{option.label}</span>
                <span class="muted toggle-hint">{option.hint}</span>
              </span>
            </label>
          )}
        </For>
      </fieldset>
    </section>
  );
}
