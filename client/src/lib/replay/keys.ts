/**
 * The replay player's keyboard shortcuts, as a pure mapping (unit-tested): Space or K plays
 * and pauses, ← and → step one recorded event back or on. Never while typing; never with
 * a modifier (those belong to the browser); Space not on a focused button (it presses the
 * button); the arrows not on a slider (it moves the slider).
 */
import type { KeyPress, KeyTarget } from '../host-controls';

export type ReplayAction = 'toggle-play' | 'previous-event' | 'next-event';

/** Where the key was pressed; 'slider' for range inputs, which use the arrows themselves. */
export type ReplayKeyTarget = KeyTarget | 'slider';

export const REPLAY_SHORTCUTS: { keys: string[]; label: string }[] = [
  { keys: ['Space', 'K'], label: 'play / pause' },
  { keys: ['←'], label: 'previous event' },
  { keys: ['→'], label: 'next event' },
];

export function replayShortcutFor(
  press: Omit<KeyPress, 'repeat'> & { repeat?: boolean },
  target: ReplayKeyTarget,
): ReplayAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey || target === 'text') return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (key === ' ') return target === 'control' || press.repeat ? null : 'toggle-play';
  if (key === 'k') return press.repeat ? null : 'toggle-play';
  if (target === 'slider') return null;
  // Holding an arrow walks through the events, as holding it moves a slider.
  if (key === 'ArrowLeft') return 'previous-event';
  if (key === 'ArrowRight') return 'next-event';
  return null;
}

/** Classifies the element a key event came from. */
export function replayKeyTarget(target: EventTarget | null): ReplayKeyTarget {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return 'other';
  if (target.closest('input[type="range"], [role="slider"]')) return 'slider';
  if (
    target.closest(
      'input:not([type="checkbox"]):not([type="radio"]):not([type="button"]), textarea, select, [contenteditable=""], [contenteditable="true"]',
    )
  ) {
    return 'text';
  }
  if (
    target.closest(
      'button, a[href], summary, input, [role="button"], [tabindex]:not([tabindex="-1"])',
    )
  ) {
    return 'control';
  }
  return 'other';
}
