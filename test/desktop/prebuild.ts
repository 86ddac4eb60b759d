// Helpers of prebuild.spec.ts (issue #12): which native addons a process mapped, which
// better-sqlite3 prebuilds the npm package ships, and how electron-builder's configuration
// treats a file — mirroring app-builder-lib's own matching (util/filter.js, fileMatcher.js):
// minimatch with { dot: true }, patterns applied in order, a pattern without a dot or glob also
// covering its folder's contents, and for node_modules only the `!` patterns of `files`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Minimatch } from 'minimatch';

/** Paths of the `.node` files mapped into a process, from its /proc/<pid>/maps. */
export function mappedAddons(maps: string): string[] {
  const paths = new Set<string>();
  for (const line of maps.split('\n')) {
    const path = line.trim().split(/\s+/).slice(5).join(' ');
    if (path.endsWith('.node')) paths.add(path);
  }
  return [...paths].sort();
}

/** The prebuilds better-sqlite3 ships, as paths relative to the app folder. */
export function shippedPrebuilds(root: string): string[] {
  const dir = join(root, 'node_modules/better-sqlite3/prebuilds');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.node'))
    .sort()
    .map((f) => `node_modules/better-sqlite3/prebuilds/${f}`);
}

/** electron-builder's platform key for a prebuild's `<platform>-<arch>` name. */
export function builderPlatform(prebuild: string): 'linux' | 'mac' | 'win' {
  const name = prebuild.slice(prebuild.lastIndexOf('/') + 1);
  if (name.startsWith('linux')) return 'linux';
  if (name.startsWith('darwin')) return 'mac';
  if (name.startsWith('win32')) return 'win';
  throw new Error(`unknown prebuild platform: ${name}`);
}

function compile(patterns: readonly string[]): Minimatch[] {
  const out: Minimatch[] = [];
  for (let pattern of patterns) {
    if (pattern.startsWith('./')) pattern = pattern.slice(2);
    const m = new Minimatch(pattern, { dot: true });
    out.push(m);
    // app-builder-lib: a plain folder name also means everything under it.
    const body = m.negate ? pattern.slice(1) : pattern;
    if (!body.includes('.') && !m.hasMagic()) out.push(new Minimatch(`${pattern}/**/*`, { dot: true }));
  }
  return out;
}

/** app-builder-lib's minimatchAll: walk the patterns in order, flipping on includes and excludes. */
function matchesAll(path: string, patterns: readonly Minimatch[]): boolean {
  let match = false;
  for (const p of patterns) {
    if (match !== p.negate) continue;
    match = p.match(path);
  }
  return match;
}

type FilePattern = string | { from?: string; filter?: string | string[] };

function asList(value: unknown): FilePattern[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as FilePattern[];
}

/**
 * Whether electron-builder copies a node_modules file into the app: it takes every file of a
 * production dependency, then applies only the exclusions (`!…`) of `files` (top level and the
 * platform's own `files`).
 */
export function packsNodeModuleFile(config: Record<string, unknown>, platform: 'linux' | 'mac' | 'win', file: string): boolean {
  const excludes: string[] = [];
  const platformConfig = (config[platform] ?? {}) as Record<string, unknown>;
  for (const p of [...asList(config.files), ...asList(platformConfig.files)]) {
    if (typeof p === 'string') {
      if (p.startsWith('!')) excludes.push(p);
    } else if (p.from === undefined || p.from === '.') {
      excludes.push(...asList(p.filter).filter((x): x is string => typeof x === 'string'));
    }
  }
  if (excludes.length === 0) return true;
  return matchesAll(file, compile(['**/*', ...excludes]));
}

/** Whether electron-builder copies one of the app's own files (not node_modules): `files`, in order. */
export function packsAppFile(config: Record<string, unknown>, platform: 'linux' | 'mac' | 'win', file: string): boolean {
  const platformConfig = (config[platform] ?? {}) as Record<string, unknown>;
  const patterns = [...asList(config.files), ...asList(platformConfig.files)].filter((x): x is string => typeof x === 'string');
  return matchesAll(file, compile(patterns));
}

/** Whether a file packed into app.asar is unpacked next to it (`asarUnpack`, top level or the platform's). */
export function unpacksFile(config: Record<string, unknown>, platform: 'linux' | 'mac' | 'win', file: string): boolean {
  if (config.asar === false) return true;
  const platformConfig = (config[platform] ?? {}) as Record<string, unknown>;
  const patterns = [...asList(config.asarUnpack), ...asList(platformConfig.asarUnpack)].filter((x): x is string => typeof x === 'string');
  return patterns.length > 0 && matchesAll(file, compile(patterns));
}
