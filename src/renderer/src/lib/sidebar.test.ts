import { describe, expect, it } from 'vitest';
import { isRail, parseChoice, toggled } from './sidebar';

describe('sidebar', () => {
  it('follows the window width until the user chooses', () => {
    expect(isRail('auto', true)).toBe(true);
    expect(isRail('auto', false)).toBe(false);
    expect(isRail('full', true)).toBe(false);
    expect(isRail('rail', false)).toBe(true);
  });
  it('toggles what is shown, whatever the width', () => {
    expect(toggled('auto', true)).toBe('full');
    expect(toggled('auto', false)).toBe('rail');
    expect(toggled('rail', false)).toBe('full');
    expect(toggled('full', true)).toBe('rail');
  });
  it('reads only its own stored values', () => {
    expect(parseChoice('rail')).toBe('rail');
    expect(parseChoice('full')).toBe('full');
    expect(parseChoice(null)).toBe('auto');
    expect(parseChoice('{"x":1}')).toBe('auto');
  });
});
