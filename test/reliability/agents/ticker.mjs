#!/usr/bin/env node
// A steady agent for the reliability suite: prints numbered lines ("tick N") at a fixed pace and,
// with --edit, appends each number to a file in the worktree, so a test can tell whether it is
// still editing. The fixtures in test/fixtures/agents are one-shot; this one keeps going.
//   --count N     how many ticks (0 = forever; default 20)
//   --every MS    the pace (default 20)
//   --edit PATH   append "tick N" to PATH (relative to the cwd) at each tick
//   --plan        after the last tick, print a plan (for captureAs: plan)
//   --escape      also start a grandchild in a new session (setsid: outside the process group)
//                 that ticks and edits forever, like a daemonizing tool would
// It ignores EPIPE: when the server dies (kill -9) it keeps editing, which is what recovery must stop.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : d;
};
const count = Number(opt('--count', 20));
const every = Number(opt('--every', 20));
const edit = opt('--edit', null);
if (args.includes('--escape')) {
  const rest = ['--count', '0', '--every', String(every), ...(edit ? ['--edit', edit] : [])];
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...rest], { detached: true, stdio: 'ignore' });
  process.stdout.write(`escaped grandchild ${child.pid}\n`);
  child.unref();
}
// The worst case for a hard-killed server: an agent that keeps working when nobody reads its
// output any more (EPIPE on stdout is ignored, not fatal).
process.stdout.on('error', () => undefined);
let n = 0;
const timer = setInterval(() => {
  n++;
  process.stdout.write(`tick ${n}\n`);
  if (edit) appendFileSync(edit, `tick ${n} by ${process.pid}\n`);
  if (count > 0 && n >= count) {
    clearInterval(timer);
    if (args.includes('--plan')) process.stdout.write(`# Plan for ${process.env.SWITCHYARD_ISSUE_ID}\n1. tick\n2. tock\n`);
  }
}, every);
