import { describe, expect, it } from 'vitest';
import { ACTION_IDS, ACTIONS, actionForKey, isTypingTarget, withKey } from './keymap';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods,
});

describe('keymap', () => {
  it('gives every action a key, and no two actions the same key', () => {
    expect(ACTIONS.map((a) => a.id).sort()).toEqual([...ACTION_IDS].sort());
    const plain = ACTIONS.flatMap((a) => a.plain ?? []);
    expect(new Set(plain).size).toBe(plain.length);
    for (const a of ACTIONS) expect(a.plain?.length || a.mod).toBeTruthy();
  });
  it('maps the documented keys', () => {
    expect(actionForKey(key('j'), false)).toBe('nextWorktree');
    expect(actionForKey(key('ArrowUp'), false)).toBe('prevWorktree');
    expect(actionForKey(key('a'), false)).toBe('approve');
    expect(actionForKey(key('r'), false)).toBe('reject');
    expect(actionForKey(key('c'), false)).toBe('cancel');
    expect(actionForKey(key('n'), false)).toBe('newWorkflow');
    expect(actionForKey(key('/'), false)).toBe('search');
    expect(actionForKey(key('?'), false)).toBe('help');
    expect(actionForKey(key('Enter'), false)).toBe('open');
    expect(actionForKey(key('b'), false)).toBe('toggleSidebar');
    expect(actionForKey(key(','), false)).toBe('settings');
    expect(actionForKey(key('k', { ctrlKey: true }), false)).toBe('palette');
    expect(actionForKey(key('K', { metaKey: true }), false)).toBe('palette');
  });
  it('fires no plain key while typing, but the palette still opens', () => {
    expect(actionForKey(key('a'), true)).toBeNull();
    expect(actionForKey(key('Enter'), true)).toBeNull();
    expect(actionForKey(key('k', { ctrlKey: true }), true)).toBe('palette');
  });
  it('ignores modified letters (browser and system shortcuts stay theirs)', () => {
    expect(actionForKey(key('c', { ctrlKey: true }), false)).toBeNull();
    expect(actionForKey(key('a', { altKey: true }), false)).toBeNull();
    expect(actionForKey(key('A'), false)).toBeNull();
  });
  it('knows which elements take text', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
  it('writes the key into tooltips', () => {
    expect(withKey('approve')).toBe('Approve the plan (A)');
  });
});
