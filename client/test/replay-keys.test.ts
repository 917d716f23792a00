import { describe, expect, test } from 'vitest';
import { replayShortcutFor } from '../src/lib/replay/keys';

const press = (key: string, extra: Partial<{ ctrlKey: boolean; repeat: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  repeat: false,
  ...extra,
});

describe('replayShortcutFor', () => {
  test('Space and K play and pause; the arrows step through events', () => {
    expect(replayShortcutFor(press(' '), 'other')).toBe('toggle-play');
    expect(replayShortcutFor(press('k'), 'other')).toBe('toggle-play');
    expect(replayShortcutFor(press('K'), 'control')).toBe('toggle-play');
    expect(replayShortcutFor(press('ArrowLeft'), 'other')).toBe('previous-event');
    expect(replayShortcutFor(press('ArrowRight'), 'control')).toBe('next-event');
  });

  test('not while typing, not with modifiers', () => {
    expect(replayShortcutFor(press(' '), 'text')).toBeNull();
    expect(replayShortcutFor(press('ArrowLeft'), 'text')).toBeNull();
    expect(replayShortcutFor(press('k', { ctrlKey: true }), 'other')).toBeNull();
  });

  test('Space presses a focused button; a slider keeps its arrows', () => {
    expect(replayShortcutFor(press(' '), 'control')).toBeNull();
    expect(replayShortcutFor(press('ArrowLeft'), 'slider')).toBeNull();
    expect(replayShortcutFor(press('k'), 'slider')).toBe('toggle-play');
    expect(replayShortcutFor(press(' '), 'slider')).toBe('toggle-play');
  });

  test('holding an arrow repeats; holding Space does not toggle back and forth', () => {
    expect(replayShortcutFor(press('ArrowRight', { repeat: true }), 'other')).toBe('next-event');
    expect(replayShortcutFor(press(' ', { repeat: true }), 'other')).toBeNull();
  });
});
