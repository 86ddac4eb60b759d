// electron-builder afterPack hook (electron-builder.yml): puts the Electron build of
// better-sqlite3 into resources/native/ (node_modules is never rebuilt in place: `npmRebuild:
// false`, it holds the Node build the tests use), and hardens Electron's fuses in release
// packages. Runs after electron-builder copied the app and before it signs.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BINDING_FILE, NativeBindingError, devBindingPath, isReleasePackage, packedResourcesDir, releaseFuses } from './native-lib.mjs';
import { currentTarget, projectRoot } from './native.mjs';

// electron-builder's Arch enum (builder-util): ia32 0, x64 1, armv7l 2, arm64 3, universal 4.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export default async function afterPack(context) {
  const platform = context.electronPlatformName;
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  const { electronVersion } = currentTarget(projectRoot);
  const binding = devBindingPath(projectRoot, { electronVersion, platform, arch });
  if (!existsSync(binding)) {
    throw new NativeBindingError(
      'MISSING',
      `No better-sqlite3 build for Electron ${electronVersion} ${platform}-${arch} at ${binding}. ` +
        'Run `node scripts/native.mjs` on that platform and architecture before packaging.',
    );
  }
  const dir = join(packedResourcesDir({ platform, appOutDir: context.appOutDir, productFilename: context.packager.appInfo.productFilename }), 'native');
  mkdirSync(dir, { recursive: true });
  copyFileSync(binding, join(dir, BINDING_FILE));

  if (isReleasePackage(process.env)) {
    const { FuseVersion, FuseV1Options } = await import('@electron/fuses');
    const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64' };
    for (const [name, value] of Object.entries(releaseFuses(platform))) config[FuseV1Options[name]] = value;
    await context.packager.addElectronFuses(context, config);
  } else {
    console.log('SWITCHYARD_TEST_PACKAGE=1: Electron fuses left at their defaults (not a release package)');
  }
}
