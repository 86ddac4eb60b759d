// Builds better-sqlite3 for Electron into .native/ (see scripts/native-lib.mjs, docs/desktop.md).
// The build happens in a temporary copy of node_modules/better-sqlite3, so the Node build that
// the tests load is never touched. First a published Electron prebuild is tried (no compiler
// needed), then node-gyp against Electron's headers.
//
//   node scripts/native.mjs            build if missing or stale, print the path
//   node scripts/native.mjs --force    rebuild
//   node scripts/native.mjs --check    exit 0 if the build is there and current, 1 if not
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BINDING_FILE,
  NativeBindingError,
  buildStatus,
  copyFilter,
  devBindingPath,
  findNodeGyp,
  nodeGypArgv,
  prebuildArgv,
  stampPath,
} from './native-lib.mjs';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** What to build for: the installed Electron, this machine's platform and arch. */
export function currentTarget(root = projectRoot) {
  const electronPkg = join(root, 'node_modules', 'electron', 'package.json');
  if (!existsSync(electronPkg)) throw new NativeBindingError('UNSUPPORTED', 'node_modules/electron is not installed; run `npm install` first.');
  return {
    electronVersion: readJson(electronPkg).version,
    betterSqliteVersion: readJson(join(root, 'node_modules', 'better-sqlite3', 'package.json')).version,
    platform: process.platform,
    arch: process.arch,
  };
}

function readStamp(file) {
  try {
    return readJson(file);
  } catch {
    return null;
  }
}

/** Runs `process.execPath argv…` in `cwd` without a shell; resolves with the exit code. */
export function runNode(argv, cwd, log = console.error) {
  log(`> node ${argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, argv, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Copies better-sqlite3's sources to a temporary folder, runs the build steps there until one
 * leaves build/Release/better_sqlite3.node, and moves that file to `outFile` (atomically).
 * @param {{ root: string, outFile: string, steps: { name: string, argv: string[] }[], stamp: object, log?: (m: string) => void }} options
 * @returns {Promise<string>} the step that produced the binding
 */
export async function buildInTempCopy({ root, outFile, steps, stamp, log = console.error }) {
  const source = join(root, 'node_modules', 'better-sqlite3');
  const work = mkdtempSync(join(tmpdir(), 'switchyard-native-'));
  const pkg = join(work, 'better-sqlite3');
  try {
    cpSync(source, pkg, { recursive: true, filter: (src) => copyFilter(relative(source, src)) });
    const built = join(pkg, 'build', 'Release', BINDING_FILE);
    const failures = [];
    for (const step of steps) {
      const code = await runNode(step.argv, pkg, log);
      if (code === 0 && existsSync(built)) {
        mkdirSync(dirname(outFile), { recursive: true });
        const partial = `${outFile}.partial-${process.pid}`;
        copyFileSync(built, partial);
        renameSync(partial, outFile);
        writeFileSync(stampPath(outFile), `${JSON.stringify({ ...stamp, via: step.name, builtAt: new Date().toISOString() }, null, 2)}\n`);
        return step.name;
      }
      failures.push(`${step.name} exited with ${code}`);
      log(`${step.name} did not produce ${BINDING_FILE}; ${steps.at(-1) === step ? 'giving up' : 'trying the next way'}`);
    }
    throw new NativeBindingError('BUILD_FAILED', `Could not build better-sqlite3 for Electron (${failures.join('; ')}). See docs/desktop.md, "Two builds of better-sqlite3".`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Makes sure the Electron build exists and is current; returns its path. */
export async function ensureElectronBinding({ root = projectRoot, force = false, log = console.error } = {}) {
  const target = currentTarget(root);
  const outFile = devBindingPath(root, target);
  const status = buildStatus({ bindingPath: outFile, betterSqliteVersion: target.betterSqliteVersion, exists: existsSync, readStamp });
  if (status === 'ok' && !force) return outFile;
  log(`Building better-sqlite3 ${target.betterSqliteVersion} for Electron ${target.electronVersion} (${target.platform}-${target.arch}): ${force ? 'forced' : status}…`);

  const steps = [];
  const prebuildInstallJs = join(root, 'node_modules', 'prebuild-install', 'bin.js');
  if (existsSync(prebuildInstallJs)) {
    steps.push({ name: 'prebuild-install', argv: prebuildArgv({ prebuildInstallJs, ...target }) });
  }
  const nodeGypJs = findNodeGyp({ env: process.env, execPath: process.execPath, platform: process.platform, projectRoot: root }, existsSync);
  steps.push({
    name: 'node-gyp',
    argv: nodeGypArgv({ nodeGypJs, electronVersion: target.electronVersion, arch: target.arch, devDir: join(homedir(), '.electron-gyp') }),
  });
  const via = await buildInTempCopy({ root, outFile, steps, stamp: { betterSqlite3: target.betterSqliteVersion, electron: target.electronVersion, platform: target.platform, arch: target.arch }, log });
  log(`better-sqlite3 for Electron is ready (${via}): ${outFile}`);
  return outFile;
}

async function main(args) {
  if (args.includes('--check')) {
    const target = currentTarget();
    const file = devBindingPath(projectRoot, target);
    const status = buildStatus({ bindingPath: file, betterSqliteVersion: target.betterSqliteVersion, exists: existsSync, readStamp });
    console.log(`${status}: ${file}`);
    return status === 'ok' ? 0 : 1;
  }
  console.log(await ensureElectronBinding({ force: args.includes('--force') }));
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof NativeBindingError ? `error: ${e.message}` : e);
      process.exit(1);
    },
  );
}
