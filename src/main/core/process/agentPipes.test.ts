// The agent's output pipes: a real child writes a known stream; every byte arrives, in order,
// through one reused read buffer per stream, and to the agent its stdout is an ordinary pipe.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnsOnThisThread } from '../testing/spawnSpy';
import { openAgentPipes, READ_BUFFER_BYTES } from './agentPipes';

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

const here = { cwd: process.cwd(), env: process.env };

async function openPlainFailure() {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = '/nonexistent/switchyard-tmp';
  try {
    const pipes = await openAgentPipes();
    return await pipes.start('/nonexistent/program', [], here);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

describe('openAgentPipes', () => {
  it('delivers every byte in order through one reused buffer per stream, and the agent sees a FIFO', async () => {
    const pipes = await openAgentPipes();
    expect(pipes.reusesBuffers).toBe(true);
    const child = await pipes.start(process.execPath, ['-e', SCRIPT], here);
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const views = new Set<ArrayBufferLike>();
    const { closed } = pipes.attach((stream, bytes) => {
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
    expect(await exited).toBe(0);
  });

  it('starts the agent without forking from the calling thread, in its own process group', async () => {
    const { result, spawns } = await spawnsOnThisThread(async () => {
      const pipes = await openAgentPipes();
      const child = await pipes.start('/bin/sh', ['-c', 'ps -o pgid= -p $$'], here);
      let out = '';
      const { closed } = pipes.attach((stream, bytes) => (out += bytes.toString()));
      await closed;
      return { pid: child.pid, out };
    });
    expect(spawns).toBe(0);
    expect(Number(result.out.trim())).toBe(result.pid);
  });

  it('rejects as spawn would when the program cannot start, and abandon leaves no descriptor behind', async () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    (await openAgentPipes()).abandon(); // the process runner's worker, with its own descriptors, is up
    const before = fds();
    const pipes = await openAgentPipes();
    expect(fds()).toBe(before + 4); // two FIFOs, both ends
    await expect(pipes.start('/nonexistent/program', [], here)).rejects.toMatchObject({ code: 'ENOENT' });
    pipes.abandon();
    expect(fds()).toBe(before);
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
    const child = await pipes.start(process.execPath, ['-e', "process.stdout.write('out\\n'); process.stderr.write('err\\n')"], here);
    const got = { stdout: '', stderr: '' };
    const { closed } = pipes.attach((stream, bytes) => (got[stream] += bytes.toString()));
    await closed;
    expect(got).toEqual({ stdout: 'out\n', stderr: 'err\n' });
    expect(child.pid).toBeGreaterThan(0);
    await expect(openPlainFailure()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('openAgentPipes with stdin (rule 11: answers to a CLI that asks)', () => {
  // Echoes each stdin line back on stdout; exits when stdin ends. Reports whether its stdin is a
  // blocking FIFO (a non-blocking one would make a synchronous read fail with EAGAIN).
  const ECHO = `
const fs = require('node:fs');
process.stdout.write('stdin ' + (fs.fstatSync(0).isFIFO() ? 'fifo' : 'other') + '\\n');
const first = fs.readSync(0, Buffer.alloc(64)); // blocks until the first line: EAGAIN if non-blocking
process.stdout.write('sync read ' + first + ' bytes\\n');
process.stdin.on('data', (d) => process.stdout.write('got ' + d));
process.stdin.on('end', () => process.stdout.write('end\\n'));
`;

  for (const fallback of [false, true]) {
    it(`writes lines to the agent's stdin and closes it on end()${fallback ? ' (plain pipes, where FIFOs cannot be made)' : ''}`, async () => {
      const saved = process.env.TMPDIR;
      if (fallback) process.env.TMPDIR = '/nonexistent/switchyard-tmp';
      let pipes;
      try {
        pipes = await openAgentPipes({ stdin: true });
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
      expect(pipes.reusesBuffers).toBe(!fallback);
      const child = await pipes.start(process.execPath, ['-e', ECHO], here);
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      const out: Buffer[] = [];
      let readFirst!: () => void;
      const firstRead = new Promise<void>((resolve) => (readFirst = resolve));
      const { closed, input } = pipes.attach((stream, bytes) => {
        if (stream !== 'stdout') return;
        out.push(Buffer.from(bytes));
        if (Buffer.concat(out).toString().includes('sync read')) readFirst();
      });
      expect(input).not.toBeNull();
      input!.write('hello\n');
      await firstRead; // the agent read the first line before the second is written
      input!.write('second\n');
      input!.end();
      await closed;
      expect(Buffer.concat(out).toString()).toBe(`stdin ${fallback ? 'other' : 'fifo'}\nsync read 6 bytes\ngot second\nend\n`);
      expect(await exited).toBe(0);
    });
  }

  it('without { stdin: true } the agent has no stdin to wait on and no writer is given', async () => {
    const pipes = await openAgentPipes();
    const child = await pipes.start(process.execPath, ['-e', "process.stdin.on('end', () => console.log('no input')).resume()"], here);
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const out: Buffer[] = [];
    const { closed, input } = pipes.attach((stream, bytes) => stream === 'stdout' && out.push(Buffer.from(bytes)));
    expect(input).toBeNull();
    await closed;
    expect(Buffer.concat(out).toString()).toBe('no input\n');
    expect(await exited).toBe(0);
  });
});
