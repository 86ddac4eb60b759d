// `npm run bench [-- --quick] [-- --only P1,P2]`: prints a table and writes bench/results/<date>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { p1, p2, p3, p7 } from './scenarios/core';
import { p6 } from './scenarios/flood';
import { p4, p5 } from './scenarios/browser';
import { table, type Figure } from './stats';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice(7) ?? (args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined);
const only = onlyArg ? new Set(onlyArg.split(',').map((s) => s.trim().toUpperCase())) : null;
const sizes = { quick, reps: quick ? 1 : 3 };

type Scenario = (s: typeof sizes) => Promise<Figure[]>;
const scenarios: [string, Scenario][] = [
  ['P1', p1],
  ['P2', p2],
  ['P3', p3],
  ['P4', p4],
  ['P5', p5],
  ['P6', p6],
  ['P7', p7],
];

const figures: Figure[] = [];
for (const [name, run] of scenarios) {
  if (only && !only.has(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  const t0 = Date.now();
  figures.push(...(await run(sizes)));
  process.stderr.write(`bench: ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

const mem = new Database(':memory:');
const sqlite = (mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
mem.close();
const result = {
  date: new Date().toISOString(),
  quick,
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), platform: process.platform, arch: process.arch },
  node: process.version,
  sqlite,
  figures,
};
console.log(table(figures));
for (const f of figures.filter((f) => f.note)) console.log(`  ${f.scenario} ${f.name}: ${f.note}`);
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${result.date.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nNode ${process.version}, SQLite ${sqlite}, ${result.machine.cpus} × ${result.machine.cpuModel}; written to ${file}`);
