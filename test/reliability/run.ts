// The reliability suite: drives the real headless server (src/main/serve.ts) as a separate
// process over its WebSocket. `npx tsx test/reliability/run.ts [--long] [--only a,b]`.
// Prints what each scenario tried and what held, one line per scenario, and `N passed, N failed`.
import { cleanupAll } from './lib/cleanup';
import { makeCtx, type Outcome, type Scenario } from './lib/scenario';
import { crash } from './scenarios/crash';
import { orphans } from './scenarios/orphans';
import { races } from './scenarios/races';
import { hostile } from './scenarios/hostile';
import { agents } from './scenarios/agents';
import { disk } from './scenarios/disk';

const SCENARIOS: Scenario[] = [crash, orphans, races, hostile, agents, disk];

const argv = process.argv.slice(2);
const long = argv.includes('--long');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? '').split(',')) : null;
const unknown = argv.filter((a, i) => a !== '--long' && a !== '--only' && !(i === onlyAt + 1 && onlyAt >= 0));
if (unknown.length || (only && [...only].some((n) => !SCENARIOS.some((s) => s.name === n)))) {
  console.error(`Usage: tsx test/reliability/run.ts [--long] [--only ${SCENARIOS.map((s) => s.name).join(',')}]`);
  process.exit(2);
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    interrupted = true;
    console.error(`\n${sig}: cleaning up`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

/** A scenario that hangs is a failure, not a stuck CI job. */
const SCENARIO_TIMEOUT_MS = long ? 30 * 60_000 : 5 * 60_000;

const outcomes: Outcome[] = [];
console.log(`Switchyard reliability suite (${long ? 'long' : 'short'} version)`);
for (const s of SCENARIOS) {
  if (only && !only.has(s.name)) continue;
  if (interrupted) break;
  console.log(`\n== ${s.name}: ${s.summary}`);
  const { ctx, outcome } = makeCtx(s.name, long);
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      s.run(ctx),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS))),
    ]);
  } catch (e) {
    outcome.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    console.log(`  [${s.name}]   ERROR ${outcome.error}`);
  } finally {
    clearTimeout(timer);
    await cleanupAll();
  }
  outcome.ms = Date.now() - started;
  outcome.passed = outcome.error === null && outcome.failed.length === 0 && outcome.checks > 0;
  outcomes.push(outcome);
}

console.log('\nResults');
for (const o of outcomes) {
  const figures = Object.entries(o.figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const known = o.known.length ? `; ${o.known.length} known bug${o.known.length > 1 ? 's' : ''}: ${o.known.join('; ')}` : '';
  const why = o.error ? `error: ${o.error.split('\n')[0]}` : o.failed.length ? `failed: ${o.failed.join('; ')}` : `${o.checks - o.known.length} checks held${known}`;
  console.log(`${o.passed ? 'PASS' : 'FAIL'} ${o.name} (${(o.ms / 1000).toFixed(1)} s) ${why}${figures ? ` [${figures}]` : ''}`);
}
const passed = outcomes.filter((o) => o.passed).length;
console.log(`${passed} passed, ${outcomes.length - passed} failed`);
process.exitCode = outcomes.length > 0 && passed === outcomes.length ? 0 : 1;
