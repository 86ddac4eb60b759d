// Issue #12: one native binary. The app's main bundle loads better-sqlite3's prebuilt Node-API
// addon from node_modules/better-sqlite3/prebuilds/<platform>-<arch>.node — the very file plain
// Node (the unit tests, `npm run serve`) loads — and electron-builder's configuration packs and
// unpacks that prebuild for every platform and architecture the package ships.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';
import { root, OUT } from './harness';
import { builderPlatform, mappedAddons, packsNodeModuleFile, shippedPrebuilds, unpacksFile } from './prebuild';

const onLinux = process.platform === 'linux';

function probe(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000 });
}

describe('better-sqlite3: one binary for Node and the app (issue #12)', () => {
  it('the main bundle imports better-sqlite3 as an external package (not bundled, not a custom path)', () => {
    const bundle = readFileSync(OUT.main, 'utf8');
    assert.match(bundle, /^import \w+ from "better-sqlite3";$/m);
    assert.doesNotMatch(bundle, /nativeBinding|\.native\//, 'no trace of the old dual build');
  });

  it('the bundle, once its database is open, has mapped the prebuild that plain Node maps', { skip: onLinux ? false : 'reads /proc/self/maps (Linux only)' }, () => {
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const app = JSON.parse(probe([tsx, join(root, 'test/desktop/mapsProbe.ts')])) as { opened: boolean; addons: string[] };
    assert.ok(app.opened, 'the app started and opened its database');
    const plain = mappedAddons(
      probe([
        '-e',
        "const D = require('better-sqlite3'); new D(':memory:').prepare('select 1').get(); process.stdout.write(require('fs').readFileSync('/proc/self/maps', 'utf8'))",
      ]),
    );
    const musl = /ld-musl/.test(readFileSync('/proc/self/maps', 'utf8'));
    const expected = realpathSync(join(root, `node_modules/better-sqlite3/prebuilds/${musl ? 'linuxmusl' : process.platform}-${process.arch}.node`));
    assert.deepEqual(app.addons.map((p) => realpathSync(p)), [expected], 'the app mapped exactly the prebuild');
    assert.deepEqual(plain.map((p) => realpathSync(p)), [expected], 'plain Node maps the same file');
  });

  it("electron-builder's configuration packs and unpacks the prebuild of every platform and architecture the package ships", () => {
    const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.ok(pkg.dependencies['better-sqlite3'], 'better-sqlite3 is a production dependency, so electron-builder copies it');
    const prebuilds = shippedPrebuilds(root);
    assert.ok(prebuilds.length >= 6, `the package ships its prebuilds (${prebuilds.length})`);
    for (const file of prebuilds) {
      const platform = builderPlatform(file);
      assert.ok(packsNodeModuleFile(config, platform, file), `${file} is packed for ${platform} (no "files" exclusion matches it)`);
      assert.ok(unpacksFile(config, platform, file), `${file} is unpacked from app.asar for ${platform} (asarUnpack)`);
    }
    // The loader next to it must be packed too, or require('better-sqlite3') fails in the package.
    for (const file of ['node_modules/better-sqlite3/lib/index.js', 'node_modules/better-sqlite3/lib/binding.js', 'node_modules/better-sqlite3/package.json']) {
      for (const platform of ['linux', 'mac', 'win'] as const) assert.ok(packsNodeModuleFile(config, platform, file), `${file} is packed for ${platform}`);
    }
  });

  it('the matching follows electron-builder: an exclusion or a missing asarUnpack is caught', () => {
    const file = 'node_modules/better-sqlite3/prebuilds/linux-x64.node';
    assert.equal(packsNodeModuleFile({ files: ['out/**/*', '!node_modules/better-sqlite3/prebuilds/**'] }, 'linux', file), false);
    assert.equal(packsNodeModuleFile({ files: ['out/**/*', '!**/*.node'] }, 'linux', file), false);
    assert.equal(packsNodeModuleFile({ files: ['out/**/*'], linux: { files: ['!node_modules/better-sqlite3/prebuilds'] } }, 'linux', file), false, 'a bare folder name covers its contents');
    assert.equal(packsNodeModuleFile({ files: ['out/**/*', '!node_modules/better-sqlite3/prebuilds/**', 'node_modules/better-sqlite3/prebuilds/linux-x64.node'] }, 'linux', file), false, 'includes do not re-add node_modules files');
    assert.equal(packsNodeModuleFile({ files: ['out/**/*', '!node_modules/better-sqlite3/build/**'] }, 'linux', file), true);
    assert.equal(unpacksFile({ asarUnpack: ['node_modules/better-sqlite3/build/**'] }, 'linux', file), false);
    assert.equal(unpacksFile({}, 'linux', file), false);
    assert.equal(unpacksFile({ asarUnpack: ['**/*.node'] }, 'linux', file), true);
    assert.equal(unpacksFile({ asarUnpack: 'node_modules/better-sqlite3/**' }, 'linux', file), true);
    assert.equal(unpacksFile({ mac: { asarUnpack: ['**/*.node'] } }, 'linux', file), false, "another platform's asarUnpack does not count");
  });
});
