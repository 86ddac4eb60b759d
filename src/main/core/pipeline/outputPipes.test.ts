// The agent's output pipes: a real child writes a known stream; every byte arrives, in order,
// through one reused read buffer per stream, and to the agent its stdout is an ordinary pipe.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openAgentPipes, READ_BUFFER_BYTES } from './outputPipes';

const SCRIPT = `
const fs = require('node:fs');
const kind = (fd) => (fs.fstatSync(fd).isFIFO() ? 'fifo' : 'other');
fs.writeFileSync('/dev/stdout', 'opened /dev/stdout ' + kind(1) + '\\n');
process.stderr.write('stderr ' + kind(2) + '\\n');
let i = 0;
const pump = () => {
  while (i < 40000) if (!process.stdout.write(String(i++).padStart(8, '0') + '\\n')) return process.stdout.once('drain', pump);
};
pump();
`;

describe('openAgentPipes', () => {
  it('delivers every byte in order through one reused buffer per stream, and the agent sees a FIFO', async () => {
    const pipes = await openAgentPipes();
    expect(pipes.reusesBuffers).toBe(true);
    const child = spawn(process.execPath, ['-e', SCRIPT], { stdio: ['ignore', ...pipes.stdio] });
    const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const views = new Set<ArrayBufferLike>();
    const { closed } = pipes.attach(child, (stream, bytes) => {
      expect(bytes.length).toBeLessThanOrEqual(READ_BUFFER_BYTES);
      if (stream === 'stdout') views.add(bytes.buffer);
      got[stream].push(Buffer.from(bytes)); // borrowed: copy
    });
    await closed;
    const stdout = Buffer.concat(got.stdout).toString();
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('opened /dev/stdout fifo');
    expect(lines.slice(1, -1)).toEqual(Array.from({ length: 40000 }, (_, i) => String(i).padStart(8, '0')));
    expect(Buffer.concat(got.stderr).toString()).toBe('stderr fifo\n');
    expect(got.stdout.length).toBeGreaterThan(5); // many reads (360 KB through a 64 KiB pipe) …
    expect(views.size).toBe(1); // … all into the same memory
  });

  it('ends the streams when spawning fails, leaving no descriptor behind', async () => {
    const pipes = await openAgentPipes();
    const child = spawn('/nonexistent/program', [], { stdio: ['ignore', ...pipes.stdio] });
    child.on('error', () => undefined);
    const { closed } = pipes.attach(child, () => undefined);
    await closed; // would hang if a write end stayed open
  });

  it('falls back to plain pipes when no FIFO can be made, with the same delivery', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/switchyard-tmp';
    let pipes;
    try {
      pipes = await openAgentPipes();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(pipes.reusesBuffers).toBe(false);
    const child = spawn(process.execPath, ['-e', "process.stdout.write('out\\n'); process.stderr.write('err\\n')"], { stdio: ['ignore', ...pipes.stdio] });
    const got = { stdout: '', stderr: '' };
    const { closed } = pipes.attach(child, (stream, bytes) => (got[stream] += bytes.toString()));
    await closed;
    expect(got).toEqual({ stdout: 'out\n', stderr: 'err\n' });
  });
});
