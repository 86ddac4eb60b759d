// `npm start` (README, "Two commands"): the desktop app where a window can open, else the same app
// served to a browser. The decision is a plain function of the flags and the machine's facts;
// scripts/start.mjs gathers the facts and carries it out (src/main/launch/start.ts).

export type StartChoice = 'auto' | 'desktop' | 'headless';

export interface StartFlags {
  choice: StartChoice;
  /** `--dev`: the desktop app with the renderer's dev server (hot reload). */
  dev: boolean;
  /** `--no-open`: do not open a browser on the headless server's address. */
  open: boolean;
  /** Everything else: passed to the server (`--port`, `--repo`…) or to electron-vite. */
  rest: string[];
}

export class StartUsageError extends Error {}

export const START_USAGE =
  'Usage: npm start [-- --desktop | --headless] [--no-open] [--dev] [server options: --port N --repo PATH …]';

export function parseStartArgs(argv: readonly string[]): StartFlags {
  const flags: StartFlags = { choice: 'auto', dev: false, open: true, rest: [] };
  for (const arg of argv) {
    if (arg === '--desktop' || arg === '--headless') {
      const choice = arg.slice(2) as StartChoice;
      if (flags.choice !== 'auto' && flags.choice !== choice) throw new StartUsageError(`--desktop and --headless exclude each other. ${START_USAGE}`);
      flags.choice = choice;
    } else if (arg === '--dev') flags.dev = true;
    else if (arg === '--no-open') flags.open = false;
    else flags.rest.push(arg);
  }
  if (flags.dev && flags.choice === 'headless') throw new StartUsageError(`--dev runs the desktop app; it cannot be combined with --headless. ${START_USAGE}`);
  return flags;
}

export interface StartFacts {
  platform: NodeJS.Platform;
  /** DISPLAY / WAYLAND_DISPLAY (only Linux and the BSDs need one to open a window). */
  env: { DISPLAY?: string; WAYLAND_DISPLAY?: string };
  /** Electron's binary is in node_modules/electron/dist. */
  electronBinary: boolean;
  /** The outcome of fetching the missing binary, once tried. */
  fetched?: { ok: true } | { ok: false; reason: string };
}

export type StartDecision =
  | { kind: 'desktop' }
  /** The binary is missing: try Electron's own download, then decide again with `fetched`. */
  | { kind: 'fetch-electron' }
  /** `reason` is null when the user asked for it. */
  | { kind: 'headless'; reason: string | null }
  /** `--desktop` cannot be honoured: exit 1 with the reason. */
  | { kind: 'refuse'; reason: string };

export function needsDisplay(platform: NodeJS.Platform): boolean {
  return platform !== 'darwin' && platform !== 'win32';
}

export function decideStart(flags: Pick<StartFlags, 'choice'>, facts: StartFacts): StartDecision {
  if (flags.choice === 'headless') return { kind: 'headless', reason: null };
  const fallBack = (reason: string): StartDecision => (flags.choice === 'desktop' ? { kind: 'refuse', reason } : { kind: 'headless', reason });
  if (needsDisplay(facts.platform) && !facts.env.DISPLAY && !facts.env.WAYLAND_DISPLAY) {
    return fallBack('no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)');
  }
  if (facts.electronBinary) return { kind: 'desktop' };
  if (!facts.fetched) return { kind: 'fetch-electron' };
  if (facts.fetched.ok) return { kind: 'desktop' };
  return fallBack(`the Electron binary is missing and its download failed (${facts.fetched.reason}); \`npx install-electron\` fetches it when the network allows`);
}

/** argv of the program that opens a URL in the desktop's browser, or null where there is none. */
export function browserOpener(platform: NodeJS.Platform, env: StartFacts['env'], url: string, xdgOpenOnPath: boolean): string[] | null {
  if (platform === 'darwin') return ['open', url];
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler', url];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return xdgOpenOnPath ? ['xdg-open', url] : null;
}
