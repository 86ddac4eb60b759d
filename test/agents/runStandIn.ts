// Runs an API stand-in on its own, to try Switchyard with a real CLI by hand without a real key:
//   npx tsx test/agents/runStandIn.ts claude|codex [--hold-ms N] [--key KEY]
// It prints the environment to give the CLI (ANTHROPIC_BASE_URL… or a CODEX_HOME config.toml).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOOD_KEY, startAnthropicStandIn } from './anthropicStandIn';
import { OPENAI_GOOD_KEY, startOpenAIStandIn } from './openaiStandIn';
import { AgentScript } from './script';

const [cli, ...rest] = process.argv.slice(2);
const opt = (name: string) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
if (cli !== 'claude' && cli !== 'codex') {
  console.error('usage: runStandIn.ts claude|codex [--hold-ms N] [--key KEY]');
  process.exit(2);
}
const script = new AgentScript({ holdFinalMs: Number(opt('--hold-ms') ?? 3000) });
if (cli === 'claude') {
  const s = await startAnthropicStandIn(script, { key: opt('--key') });
  console.log(`ANTHROPIC_BASE_URL=${s.url} ANTHROPIC_API_KEY=${opt('--key') ?? GOOD_KEY} CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`);
} else {
  const s = await startOpenAIStandIn(script, { key: opt('--key') });
  const home = mkdtempSync(join(tmpdir(), 'codex-home-'));
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, 'config.toml'),
    `model = "standin-model"\nmodel_provider = "standin"\n[model_providers.standin]\nname = "Stand-in"\nbase_url = "${s.url}"\nwire_api = "responses"\nenv_key = "STANDIN_OPENAI_KEY"\n`,
  );
  console.log(`CODEX_HOME=${home} STANDIN_OPENAI_KEY=${opt('--key') ?? OPENAI_GOOD_KEY}`);
}
