/**
 * The new-message sound: two soft sine notes (about 0.25 s in all), made with
 * the Web Audio API, so there is no file to ship. Browsers allow sound only
 * after the page has had a click or a key press; before that it stays silent.
 */

let context: AudioContext | undefined;

const VOLUME = 0.08;

function note(ctx: AudioContext, frequency: number, start: number, length: number): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(VOLUME, start + 0.015);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
  osc.connect(gain).connect(ctx.destination);
  osc.start(start);
  osc.stop(start + length + 0.02);
}

/** Plays the sound; returns false when it could not (no Web Audio, or not allowed yet). */
export function playChime(): boolean {
  const Ctor =
    window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return false;
  try {
    context ??= new Ctor();
    if (context.state === 'suspended') void context.resume().catch(() => {});
    const t = context.currentTime + 0.01;
    note(context, 880, t, 0.12);
    note(context, 1318.5, t + 0.09, 0.16);
    return true;
  } catch {
    return false;
  }
}
