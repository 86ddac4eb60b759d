// Types of scripts/native-lib.mjs (imported by the main process and its tests).
export declare const BINDING_FILE: string;
export declare const NATIVE_DIR: string;
export declare const ELECTRON_HEADERS_URL: string;

export type NativeBindingErrorCode = 'MISSING' | 'NO_BUILD_TOOL' | 'BUILD_FAILED' | 'UNSUPPORTED';
export declare class NativeBindingError extends Error {
  readonly code: NativeBindingErrorCode;
  constructor(code: NativeBindingErrorCode, message: string);
}

export interface BindingTarget {
  electronVersion: string;
  platform: string;
  arch: string;
}
export declare function bindingKey(target: BindingTarget): string;
export declare function devBindingPath(root: string, target: BindingTarget): string;
export declare function stampPath(bindingPath: string): string;
export declare function packagedBindingPath(resourcesPath: string): string;

export type NativeBindingChoice = { kind: 'node-default'; path: undefined } | { kind: 'packaged' | 'development'; path: string };
export declare function chooseNativeBinding(options: {
  versions: { electron?: string | undefined };
  isPackaged: boolean;
  appRoot: string;
  resourcesPath: string;
  platform: string;
  arch: string;
  exists: (path: string) => boolean;
}): NativeBindingChoice;

export declare function buildStatus(options: {
  bindingPath: string;
  betterSqliteVersion: string;
  exists: (path: string) => boolean;
  readStamp: (path: string) => { betterSqlite3?: string } | null;
}): 'ok' | 'missing' | 'stale';

export interface NodeGypLookup {
  env: Record<string, string | undefined>;
  execPath: string;
  platform: string;
  projectRoot: string;
}
export declare function nodeGypCandidates(options: NodeGypLookup): string[];
export declare function findNodeGyp(options: NodeGypLookup, exists: (path: string) => boolean): string;
export declare function prebuildArgv(options: { prebuildInstallJs: string; electronVersion: string; platform: string; arch: string }): string[];
export declare function nodeGypArgv(options: {
  nodeGypJs: string;
  electronVersion: string;
  arch: string;
  devDir: string;
  distUrl?: string;
  jobs?: number;
}): string[];
export declare function copyFilter(relativePath: string): boolean;
export declare function packedResourcesDir(options: { platform: string; appOutDir: string; productFilename: string }): string;
export type FuseName =
  | 'RunAsNode'
  | 'EnableCookieEncryption'
  | 'EnableNodeOptionsEnvironmentVariable'
  | 'EnableNodeCliInspectArguments'
  | 'EnableEmbeddedAsarIntegrityValidation'
  | 'OnlyLoadAppFromAsar'
  | 'GrantFileProtocolExtraPrivileges';
export declare function releaseFuses(platform: string): Record<FuseName, boolean>;
export declare function isReleasePackage(env: Record<string, string | undefined>): boolean;
