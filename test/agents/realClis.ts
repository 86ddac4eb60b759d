// Runs Switchyard's built-in pipelines with the real Claude Code and Codex CLIs (the exact
// versions locked in test/agents/clis) against the scripted API stand-ins on 127.0.0.1.
//
// The CLIs are installed on demand into test/agents/clis/node_modules (`npm ci` there), never as
// root dependencies: their bins would land in node_modules/.bin, which is on the PATH of every
// npm script, and `npm run serve` would quietly run the pinned test copy as the user's `claude`.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FilePipelineSource } from '../../src/main/core/pipeline/filePipelineSource';
import { ProcessExecutor } from '../../src/main/core/pipeline/processExecutor';
import { makeRepo } from '../../src/main/core/testing/pipelineFixtures';
import { makeHarness, type Harness } from '../../src/main/core/testing/harness';
import { GOOD_KEY, startAnthropicStandIn, type StandIn } from './anthropicStandIn';
import { OPENAI_GOOD_KEY, startOpenAIStandIn } from './openaiStandIn';
import { AgentScript, type ScriptOptions } from './script';

export const CLIS_DIR = fileURLToPath(new URL('./clis/', import.meta.url));
export const CLIS_BIN = join(CLIS_DIR, 'node_modules', '.bin');
const LOCK = JSON.parse(readFileSync(join(CLIS_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
export const CLAUDE_VERSION = LOCK.dependencies['@anthropic-ai/claude-code']!;
export const CODEX_VERSION = LOCK.dependencies['@openai/codex']!;

function run(program: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(program, args, { cwd, env: process.env, maxBuffer: 16 * 1024 * 1024 }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

async function installedVersion(bin: string): Promise<string | null> {
  if (!existsSync(join(CLIS_BIN, bin))) return null;
  const r = await run(join(CLIS_BIN, bin), ['--version'], CLIS_DIR);
  return r.code === 0 ? r.out.trim() : null;
}

/** Installs the locked CLIs unless the right versions are there already. */
export async function ensureClis(): Promise<void> {
  const claude = await installedVersion('claude');
  const codex = await installedVersion('codex');
  if (claude?.startsWith(`${CLAUDE_VERSION} `) && codex?.endsWith(` ${CODEX_VERSION}`)) return;
  const r = await run('npm', ['ci', '--no-audit', '--no-fund', '--prefix', CLIS_DIR], CLIS_DIR);
  if (r.code !== 0) throw new Error(`npm ci --prefix ${CLIS_DIR} failed:\n${r.out}`);
}

export type Cli = 'claude' | 'codex';

export interface CliRig {
  h: Harness<ProcessExecutor>;
  standIn: StandIn;
  script: AgentScript;
  repo: string;
  home: string;
  cleanup(): Promise<void>;
}

/**
 * A harness whose agents are the real CLI, pointed at a stand-in: a temporary HOME (and
 * CODEX_HOME whose config.toml names the stand-in as model provider), a minimal environment
 * (no key of the developer's can leak in), PATH with the locked CLIs first.
 */
export async function cliRig(cli: Cli, o: ScriptOptions & { key?: string; wrapWithGarbage?: boolean } = {}): Promise<CliRig> {
  const script = new AgentScript(o);
  const standIn = cli === 'claude' ? await startAnthropicStandIn(script) : await startOpenAIStandIn(script);
  const root = mkdtempSync(join(tmpdir(), `switchyard-${cli}-`));
  const home = join(root, 'home');
  mkdirSync(home);
  const env: NodeJS.ProcessEnv = { PATH: `${CLIS_BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, LANG: 'C.UTF-8', TMPDIR: tmpdir() };
  if (o.wrapWithGarbage) env.PATH = `${garbageWrapper(root, cli)}:${env.PATH}`;
  if (cli === 'claude') {
    Object.assign(env, { ANTHROPIC_BASE_URL: standIn.url, ANTHROPIC_API_KEY: o.key ?? GOOD_KEY, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' });
  } else {
    const codexHome = join(home, '.codex');
    mkdirSync(codexHome);
    writeFileSync(
      join(codexHome, 'config.toml'),
      [
        'model = "standin-model"',
        'model_provider = "standin"',
        '[model_providers.standin]',
        'name = "Stand-in"',
        `base_url = "${standIn.url}"`,
        'wire_api = "responses"',
        'env_key = "STANDIN_OPENAI_KEY"',
        '',
      ].join('\n'),
    );
    Object.assign(env, { CODEX_HOME: codexHome, STANDIN_OPENAI_KEY: o.key ?? OPENAI_GOOD_KEY });
  }
  const h = makeHarness({
    executor: new ProcessExecutor({ baseEnv: () => env, scanIntervalMs: 200 }),
    pipelines: new FilePipelineSource({ path: () => env.PATH }),
  });
  const repo = await makeRepo(root);
  return {
    h,
    standIn,
    script,
    repo,
    home,
    async cleanup() {
      await h.cleanup();
      await standIn.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * An executable named like the CLI, first on PATH: prints a line of garbage on stdout, then runs
 * the real CLI in its place (same stdio), so the stage's stream holds one line that is not JSON.
 */
function garbageWrapper(root: string, cli: Cli): string {
  const dir = join(root, 'wrap');
  mkdirSync(dir);
  const file = join(dir, cli);
  writeFileSync(
    file,
    `#!${process.execPath}
const { spawn } = require('node:child_process');
process.stdout.write('this line is garbage, not JSON {\\n');
const child = spawn(${JSON.stringify(join(CLIS_BIN, cli))}, process.argv.slice(2), { stdio: 'inherit' });
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => child.kill(s));
child.on('exit', (code) => process.exit(code ?? 1));
`,
  );
  chmodSync(file, 0o755);
  return dir;
}
