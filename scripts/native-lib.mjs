// Two builds of better-sqlite3 from one `npm install` (docs/desktop.md): node_modules keeps the
// Node-ABI build (tests, `npm run serve`); the desktop app loads an Electron-ABI build from
// `.native/<key>/better_sqlite3.node` (development) or `resources/native/better_sqlite3.node`
// (packaged), passed to better-sqlite3 as `nativeBinding`. This module holds the decisions —
// paths, which binding for which runtime, the build argv — as pure functions; scripts/native.mjs
// runs the build and the main process loads the result. No Electron import here.
import { join, dirname } from 'node:path';

export const BINDING_FILE = 'better_sqlite3.node';
export const NATIVE_DIR = '.native';
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

export class NativeBindingError extends Error {
  /** @param {'MISSING' | 'NO_BUILD_TOOL' | 'BUILD_FAILED' | 'UNSUPPORTED'} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'NativeBindingError';
    this.code = code;
  }
}

/** The folder name of one Electron build: it changes whenever the ABI could. */
export function bindingKey({ electronVersion, platform, arch }) {
  return `electron-${electronVersion}-${platform}-${arch}`;
}

/** Where the development build lives, under the project root. */
export function devBindingPath(root, target) {
  return join(root, NATIVE_DIR, bindingKey(target), BINDING_FILE);
}

/** The stamp beside a build: what it was built from, so a changed better-sqlite3 forces a rebuild. */
export function stampPath(bindingPath) {
  return join(dirname(bindingPath), 'build.json');
}

/** Where the packaged app carries its build (electron-builder `extraResources`). */
export function packagedBindingPath(resourcesPath) {
  return join(resourcesPath, 'native', BINDING_FILE);
}

/**
 * Which better-sqlite3 binding this process must load.
 * - Plain Node (tests, headless): better-sqlite3's own build in node_modules -> `undefined`.
 * - Packaged Electron app: the build shipped in resources.
 * - Electron in development: the `.native` build; if it is missing, a clear error that says how
 *   to make it (loading node_modules' Node build would crash with an ABI mismatch instead).
 * @returns {{ kind: 'node-default', path: undefined } | { kind: 'packaged' | 'development', path: string }}
 */
export function chooseNativeBinding({ versions, isPackaged, appRoot, resourcesPath, platform, arch, exists }) {
  if (!versions.electron) return { kind: 'node-default', path: undefined };
  const path = isPackaged
    ? packagedBindingPath(resourcesPath)
    : devBindingPath(appRoot, { electronVersion: versions.electron, platform, arch });
  if (!exists(path)) {
    throw new NativeBindingError(
      'MISSING',
      isPackaged
        ? `The packaged app is missing its SQLite binding at ${path}; the package is incomplete — rebuild it with \`npm run dist\`.`
        : `No better-sqlite3 build for Electron ${versions.electron} (${platform}-${arch}) at ${path}. ` +
            'Start the app with `npm start` (it builds it on first run) or run `node scripts/native.mjs`.',
    );
  }
  return { kind: isPackaged ? 'packaged' : 'development', path };
}

/**
 * Is the build at `bindingPath` usable for this better-sqlite3 version?
 * @returns {'ok' | 'missing' | 'stale'}
 */
export function buildStatus({ bindingPath, betterSqliteVersion, exists, readStamp }) {
  if (!exists(bindingPath)) return 'missing';
  const stamp = readStamp(stampPath(bindingPath));
  if (!stamp || stamp.betterSqlite3 !== betterSqliteVersion) return 'stale';
  return 'ok';
}

/**
 * The JavaScript entry of node-gyp, run with `process.execPath` (no shell, no `.cmd` shim on
 * Windows). First found wins: the one npm points to while running a script, the project's own,
 * then the one bundled with npm next to the running Node.
 */
export function nodeGypCandidates({ env, execPath, platform, projectRoot }) {
  const list = [];
  const fromNpm = env.npm_config_node_gyp;
  if (fromNpm && fromNpm.endsWith('.js')) list.push(fromNpm);
  list.push(join(projectRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const nodeDir = dirname(execPath);
  if (platform === 'win32') {
    list.push(join(nodeDir, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  } else {
    list.push(join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  return list;
}

export function findNodeGyp(options, exists) {
  const candidates = nodeGypCandidates(options);
  const found = candidates.find((p) => exists(p));
  if (!found) {
    throw new NativeBindingError('NO_BUILD_TOOL', `node-gyp was not found; looked in:\n  ${candidates.join('\n  ')}\nInstall it with \`npm install -g node-gyp\`.`);
  }
  return found;
}

/**
 * argv (after `process.execPath`) for prebuild-install: downloads better-sqlite3's published
 * Electron build when there is one (no compiler needed).
 */
export function prebuildArgv({ prebuildInstallJs, electronVersion, platform, arch }) {
  return [prebuildInstallJs, '--runtime=electron', `--target=${electronVersion}`, `--platform=${platform}`, `--arch=${arch}`, '--verbose'];
}

/** argv (after `process.execPath`) for node-gyp: compiles against Electron's headers. */
export function nodeGypArgv({ nodeGypJs, electronVersion, arch, devDir, distUrl = ELECTRON_HEADERS_URL, jobs }) {
  const argv = [nodeGypJs, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, `--dist-url=${distUrl}`, `--devdir=${devDir}`];
  if (jobs) argv.push(`--jobs=${jobs}`);
  return argv;
}

/** Files of node_modules/better-sqlite3 to copy into the temporary build folder: sources, not builds. */
export function copyFilter(relativePath) {
  const parts = relativePath.split(/[\\/]/);
  return parts[0] !== 'build' && parts[0] !== 'node_modules';
}

/** The packaged app's resources folder inside electron-builder's appOutDir. */
export function packedResourcesDir({ platform, appOutDir, productFilename }) {
  return platform === 'darwin' || platform === 'mas'
    ? join(appOutDir, `${productFilename}.app`, 'Contents', 'Resources')
    : join(appOutDir, 'resources');
}

/**
 * Electron fuses for release packages (names of @electron/fuses' FuseV1Options). Off: running
 * the binary as plain Node, NODE_OPTIONS, --inspect, loading the app from outside app.asar,
 * extra file: privileges. On: cookie encryption, and asar integrity where Electron supports it
 * (macOS, Windows). Test packages (SWITCHYARD_TEST_PACKAGE=1) keep Electron's defaults so that
 * Playwright, which needs --inspect and --remote-debugging-port, can drive them.
 */
export function releaseFuses(platform) {
  return {
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: platform === 'darwin' || platform === 'win32',
    OnlyLoadAppFromAsar: true,
    GrantFileProtocolExtraPrivileges: false,
  };
}

export function isReleasePackage(env) {
  return env.SWITCHYARD_TEST_PACKAGE !== '1';
}
