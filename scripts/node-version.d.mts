// Types of scripts/node-version.mjs (plain JavaScript so that any Node can parse it).
export declare const MINIMUM: readonly [number, number];
export declare function nodeVersionProblem(version: string): string | null;
export declare function exitOnOldNode(): void;
