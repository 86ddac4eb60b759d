// Which better-sqlite3 binding for which runtime, and how the Electron build is made (the
// decisions of scripts/native-lib.mjs, used by the main process and scripts/native.mjs).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NativeBindingError,
  bindingKey,
  buildStatus,
  chooseNativeBinding,
  copyFilter,
  devBindingPath,
  findNodeGyp,
  isReleasePackage,
  packedResourcesDir,
  releaseFuses,
  nodeGypArgv,
  nodeGypCandidates,
  packagedBindingPath,
  prebuildArgv,
  stampPath,
} from '../../../scripts/native-lib.mjs';

const root = '/home/dev/switchyard';
const base = { appRoot: root, resourcesPath: '/opt/Switchyard/resources', platform: 'linux', arch: 'x64' };
const devPath = join(root, '.native', 'electron-39.8.10-linux-x64', 'better_sqlite3.node');

describe('chooseNativeBinding', () => {
  it('plain Node (tests, headless) uses better-sqlite3 as installed', () => {
    expect(chooseNativeBinding({ ...base, versions: { node: '20.20.2' } as never, isPackaged: false, exists: () => false })).toEqual({ kind: 'node-default', path: undefined });
  });

  it('Electron in development loads the .native build for its exact version, platform and arch', () => {
    const seen: string[] = [];
    const choice = chooseNativeBinding({ ...base, versions: { electron: '39.8.10' }, isPackaged: false, exists: (p) => (seen.push(p), true) });
    expect(choice).toEqual({ kind: 'development', path: devPath });
    expect(seen).toEqual([devPath]);
  });

  it('the packaged app loads the build shipped in resources/native', () => {
    const choice = chooseNativeBinding({ ...base, versions: { electron: '39.8.10' }, isPackaged: true, exists: () => true });
    expect(choice).toEqual({ kind: 'packaged', path: join('/opt/Switchyard/resources', 'native', 'better_sqlite3.node') });
  });

  it('a missing development build is a clear MISSING error that says how to make it', () => {
    const attempt = () => chooseNativeBinding({ ...base, versions: { electron: '39.8.10' }, isPackaged: false, exists: () => false });
    expect(attempt).toThrow(NativeBindingError);
    expect(attempt).toThrow(/npm start/);
    try {
      attempt();
    } catch (e) {
      expect((e as NativeBindingError).code).toBe('MISSING');
      expect((e as Error).message).toContain(devPath);
    }
  });

  it('a packaged app without its binding says the package is incomplete', () => {
    expect(() => chooseNativeBinding({ ...base, versions: { electron: '39.8.10' }, isPackaged: true, exists: () => false })).toThrow(/package is incomplete/);
  });

  it('another Electron version or arch is another folder (never a stale ABI)', () => {
    expect(bindingKey({ electronVersion: '40.0.0', platform: 'darwin', arch: 'arm64' })).toBe('electron-40.0.0-darwin-arm64');
    expect(devBindingPath(root, { electronVersion: '39.8.10', platform: 'win32', arch: 'x64' })).toBe(join(root, '.native', 'electron-39.8.10-win32-x64', 'better_sqlite3.node'));
    expect(packagedBindingPath('/r')).toBe(join('/r', 'native', 'better_sqlite3.node'));
  });
});

describe('buildStatus', () => {
  const stamp = (v: string | null) => () => (v === null ? null : { betterSqlite3: v });
  it('is missing, stale (other better-sqlite3 version or no stamp) or ok', () => {
    expect(buildStatus({ bindingPath: devPath, betterSqliteVersion: '12.11.1', exists: () => false, readStamp: stamp('12.11.1') })).toBe('missing');
    expect(buildStatus({ bindingPath: devPath, betterSqliteVersion: '12.11.1', exists: () => true, readStamp: stamp('12.10.0') })).toBe('stale');
    expect(buildStatus({ bindingPath: devPath, betterSqliteVersion: '12.11.1', exists: () => true, readStamp: stamp(null) })).toBe('stale');
    expect(buildStatus({ bindingPath: devPath, betterSqliteVersion: '12.11.1', exists: () => true, readStamp: stamp('12.11.1') })).toBe('ok');
    expect(stampPath(devPath)).toBe(join(root, '.native', 'electron-39.8.10-linux-x64', 'build.json'));
  });
});

describe('the build commands (argv arrays run with process.execPath, no shell)', () => {
  it('node-gyp targets Electron\'s headers', () => {
    expect(nodeGypArgv({ nodeGypJs: '/ng/bin/node-gyp.js', electronVersion: '39.8.10', arch: 'arm64', devDir: '/home/u/.electron-gyp' })).toEqual([
      '/ng/bin/node-gyp.js',
      'rebuild',
      '--release',
      '--target=39.8.10',
      '--arch=arm64',
      '--dist-url=https://electronjs.org/headers',
      '--devdir=/home/u/.electron-gyp',
    ]);
  });

  it('prebuild-install asks for the Electron runtime', () => {
    expect(prebuildArgv({ prebuildInstallJs: '/p/bin.js', electronVersion: '39.8.10', platform: 'win32', arch: 'x64' })).toEqual([
      '/p/bin.js',
      '--runtime=electron',
      '--target=39.8.10',
      '--platform=win32',
      '--arch=x64',
      '--verbose',
    ]);
  });

  it('finds node-gyp from npm, the project or next to Node — as a .js entry, also on Windows', () => {
    const posix = nodeGypCandidates({ env: {}, execPath: '/usr/local/bin/node', platform: 'linux', projectRoot: root });
    expect(posix).toEqual([
      join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      join('/usr/local/lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    ]);
    const win = nodeGypCandidates({ env: { npm_config_node_gyp: 'C:\\npm\\node-gyp.js' }, execPath: 'C:\\Program Files\\nodejs\\node.exe', platform: 'win32', projectRoot: root });
    expect(win[0]).toBe('C:\\npm\\node-gyp.js');
    expect(win.at(-1)).toContain(join('node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
    for (const p of [...posix, ...win]) expect(p.endsWith('.js')).toBe(true);
    // A .cmd shim from the environment is not used (it would need a shell).
    expect(nodeGypCandidates({ env: { npm_config_node_gyp: 'C:\\npm\\node-gyp.cmd' }, execPath: 'C:\\node.exe', platform: 'win32', projectRoot: root })[0]).not.toContain('.cmd');
  });

  it('findNodeGyp takes the first that exists, or says where it looked', () => {
    const lookup = { env: {}, execPath: '/usr/bin/node', platform: 'linux', projectRoot: root };
    const second = nodeGypCandidates(lookup)[1]!;
    expect(findNodeGyp(lookup, (p) => p === second)).toBe(second);
    expect(() => findNodeGyp(lookup, () => false)).toThrow(/node-gyp was not found; looked in/);
  });

  it('copies sources, not builds, into the temporary build folder', () => {
    expect(copyFilter('')).toBe(true);
    expect(copyFilter('src/better_sqlite3.cpp')).toBe(true);
    expect(copyFilter('deps/sqlite3/sqlite3.c')).toBe(true);
    expect(copyFilter('build')).toBe(false);
    expect(copyFilter('build/Release/better_sqlite3.node')).toBe(false);
    expect(copyFilter('build\\Release\\better_sqlite3.node')).toBe(false);
  });
});

describe('packaging (scripts/native-pack.mjs, the electron-builder afterPack hook)', () => {
  it('puts the binding where packagedBindingPath looks, on each platform', () => {
    expect(packedResourcesDir({ platform: 'darwin', appOutDir: '/o/mac-arm64', productFilename: 'Switchyard' })).toBe(join('/o/mac-arm64', 'Switchyard.app', 'Contents', 'Resources'));
    expect(packedResourcesDir({ platform: 'linux', appOutDir: '/o/linux-unpacked', productFilename: 'Switchyard' })).toBe(join('/o/linux-unpacked', 'resources'));
    expect(packedResourcesDir({ platform: 'win32', appOutDir: 'C:/o/win-unpacked', productFilename: 'Switchyard' })).toBe(join('C:/o/win-unpacked', 'resources'));
  });

  it('hardens the fuses in release packages only', () => {
    expect(isReleasePackage({})).toBe(true);
    expect(isReleasePackage({ SWITCHYARD_TEST_PACKAGE: '1' })).toBe(false);
    const linux = releaseFuses('linux');
    expect(linux).toMatchObject({ RunAsNode: false, EnableNodeOptionsEnvironmentVariable: false, EnableNodeCliInspectArguments: false, OnlyLoadAppFromAsar: true, EnableCookieEncryption: true, GrantFileProtocolExtraPrivileges: false });
    expect(linux.EnableEmbeddedAsarIntegrityValidation).toBe(false);
    expect(releaseFuses('darwin').EnableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(releaseFuses('win32').EnableEmbeddedAsarIntegrityValidation).toBe(true);
  });
});
