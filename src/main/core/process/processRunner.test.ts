import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExecError, execFile, ProcessRunner } from './processRunner';
import { spawnsOnThisThread } from '../testing/spawnSpy';

const node = process.execPath;
const script = (code: string) => ['-e', code];

describe('execFile', () => {
  it('collects stdout, stderr and the exit code of a program run with an argv array', async () => {
    const r = await execFile(node, script('process.stdout.write("out " + process.argv[1]); process.stderr.write("err"); process.exit(3)'), {});
    expect(r).toMatchObject({ code: 3, signal: null, stderr: 'err', truncated: false });
    expect(r.stdout).toBe('out undefined');
    const args = await execFile(node, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '--', 'a b', '$(no shell)', "'q'"]);
    expect(JSON.parse(args.stdout)).toEqual(['a b', '$(no shell)', "'q'"]);
  });

  it('passes cwd, env and input', async () => {
    const r = await execFile(node, script('let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write([process.cwd(),process.env.SY_X,s].join("|")))'), {
      cwd: '/tmp',
      env: { ...process.env, SY_X: 'from env' },
      input: 'from stdin',
    });
    expect(r.stdout).toBe('/tmp|from env|from stdin');
  });

  it('cuts stdout at maxBuffer and says so', async () => {
    const r = await execFile(node, script('process.stdout.write("x".repeat(100000))'), { maxBuffer: 1000 });
    expect(r.stdout).toBe('x'.repeat(1000));
    expect(r.truncated).toBe(true);
  });

  it('kills a program that outlives its timeout', async () => {
    const r = await execFile(node, script('setInterval(() => {}, 1000)'), { timeoutMs: 300 });
    expect(r.signal).toBe('SIGKILL');
    expect(r.code).toBeNull();
  });

  it('rejects with a typed error carrying errno when the program cannot start', async () => {
    const e = await execFile('/no/such/program-xyz', []).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExecError);
    expect((e as ExecError).errno).toBe('ENOENT');
    expect((e as ExecError).message).toMatch(/program-xyz could not be started/);
  });

  it('never forks from the calling thread', async () => {
    const { result, spawns } = await spawnsOnThisThread(() => execFile(node, script('process.stdout.write("ran")')));
    expect(result.stdout).toBe('ran');
    expect(spawns).toBe(0);
  });

  it('rejects what was running when its worker stops, and starts a new one for the next call', async () => {
    const runner = new ProcessRunner();
    const running = runner.run(node, script('setInterval(() => {}, 1000)'), {});
    // The request is posted before the stop: the worker has it (or is starting with it queued).
    await runner.stop();
    const e = await running.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExecError);
    expect((e as ExecError).message).toMatch(/process runner stopped/);
    expect((await runner.run(node, script('process.stdout.write("again")'), {})).stdout).toBe('again');
    await runner.stop();
  });

  it('does not keep a process alive once nothing is running', async () => {
    const exec = fileURLToPath(new URL('./processRunner.ts', import.meta.url));
    const program = `import(${JSON.stringify(exec)}).then(async (m) => { const r = await m.execFile(process.execPath, ['-e', 'process.stdout.write("child")']); process.stdout.write(r.stdout); })`;
    const r = await execFile(node, ['--import', 'tsx', '-e', program], { timeoutMs: 20_000 });
    expect(r.signal).toBeNull(); // not killed by the timeout: it exited on its own
    expect(r).toMatchObject({ code: 0, stdout: 'child' });
  });
});
