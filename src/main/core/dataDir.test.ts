import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, desktopDataDir } from './dataDir';

describe('desktopDataDir (the desktop app and the `npm start` fallback share it)', () => {
  const home = '/home/dev';
  it('Linux: $XDG_CONFIG_HOME/Switchyard, else ~/.config/Switchyard', () => {
    expect(desktopDataDir({}, 'linux', home)).toBe('/home/dev/.config/Switchyard');
    expect(desktopDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', home)).toBe('/cfg/Switchyard');
    // A relative XDG path is invalid by the spec and ignored, as Electron does.
    expect(desktopDataDir({ XDG_CONFIG_HOME: 'cfg' }, 'linux', home)).toBe('/home/dev/.config/Switchyard');
  });
  it('macOS and Windows: the platform application-data folders', () => {
    expect(desktopDataDir({}, 'darwin', home)).toBe('/home/dev/Library/Application Support/Switchyard');
    expect(desktopDataDir({ APPDATA: 'C:\\Users\\dev\\AppData\\Roaming' }, 'win32', home)).toBe(join('C:\\Users\\dev\\AppData\\Roaming', 'Switchyard'));
  });
  it('SWITCHYARD_USER_DATA_DIR wins, and must be absolute', () => {
    expect(desktopDataDir({ SWITCHYARD_USER_DATA_DIR: '/tmp/profile' }, 'linux', home)).toBe('/tmp/profile');
    expect(() => desktopDataDir({ SWITCHYARD_USER_DATA_DIR: 'profile' }, 'linux', home)).toThrow(/must be an absolute path/);
  });
  it('differs from the headless default, which keeps its own folder', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' })).toBe('/data/switchyard');
  });
});
