// Types of scripts/electron-binary.mjs.
export declare function electronBinaryPresent(root: string, env?: NodeJS.ProcessEnv): boolean;
