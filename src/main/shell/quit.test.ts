import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Workflow } from '../../shared/domain';
import { QUIT_CANCEL_REASON, QuitController, QuitTimeoutError, within, type QuitAnswer, type QuitPorts } from './quit';
import { wf } from './testing/workflow';

/** Fake ports that record the order of what happened. */
function harness(active: Workflow[], answer: QuitAnswer, opts: { cancel?: () => Promise<unknown>; close?: () => Promise<void>; boundMs?: number } = {}) {
  const calls: string[] = [];
  let dbOpen = true;
  const ports: QuitPorts = {
    activeWorkflows: () => active,
    ask: async (list) => {
      calls.push(`ask:${list.length}`);
      return answer;
    },
    cancelAll: async (reason) => {
      calls.push(`cancelAll:${reason}`);
      await (opts.cancel ?? (async () => {}))();
      active = [];
    },
    closeCore: async () => {
      calls.push('closeCore');
      await (opts.close ?? (async () => {}))();
      dbOpen = false;
    },
    exit: (code) => {
      // The invariant of the issue: never exit before the database is closed.
      calls.push(`exit:${code}:db-${dbOpen ? 'open' : 'closed'}`);
    },
    hideWindows: () => calls.push('hide'),
    cancelBoundMs: () => opts.boundMs ?? 1000,
    log: (m) => calls.push(`log:${m}`),
  };
  return { ports, calls, controller: new QuitController(ports) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('QuitController', () => {
  it('with no active workflow: no question, close the core, then exit', async () => {
    const { controller, calls } = harness([], 'dont-quit');
    await expect(controller.requestQuit()).resolves.toBe('quit');
    expect(calls).toEqual(['closeCore', 'exit:0:db-closed']);
    expect(controller.mayExit).toBe(true);
  });

  it('"Cancel all and quit": cancels, closes the database, then exits', async () => {
    const { controller, calls } = harness([wf('in_progress'), wf('blocked')], 'cancel-all');
    await expect(controller.requestQuit()).resolves.toBe('quit');
    expect(calls).toEqual(['ask:2', `cancelAll:${QUIT_CANCEL_REASON}`, 'closeCore', 'exit:0:db-closed']);
  });

  it('"Keep running": hides the window, cancels nothing, closes nothing', async () => {
    const { controller, calls } = harness([wf('in_progress')], 'keep-running');
    await expect(controller.requestQuit()).resolves.toBe('kept-running');
    expect(calls).toEqual(['ask:1', 'hide']);
    expect(controller.mayExit).toBe(false);
    expect(controller.quitting).toBe(false);
  });

  it('"Don\'t quit": nothing happens', async () => {
    const { controller, calls } = harness([wf('queued')], 'dont-quit');
    await expect(controller.requestQuit()).resolves.toBe('stayed');
    expect(calls).toEqual(['ask:1']);
    expect(controller.mayExit).toBe(false);
  });

  it('a cancel that outlasts the bound still ends with the database closed before exit', async () => {
    vi.useFakeTimers();
    let release!: () => void;
    const never = new Promise<void>((r) => (release = r));
    const { controller, calls } = harness([wf('in_progress')], 'cancel-all', { cancel: () => never, boundMs: 5_000 });
    const outcome = controller.requestQuit();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(calls).not.toContain('closeCore');
    await vi.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toBe('quit');
    expect(calls.slice(-3)).toEqual([expect.stringContaining('log:switchyard: cancelling before quit'), 'closeCore', 'exit:0:db-closed']);
    release();
  });

  it('a failing close exits with 1, still after the attempt to close', async () => {
    const { controller, calls } = harness([], 'dont-quit', { close: async () => Promise.reject(new Error('disk gone')) });
    await controller.requestQuit();
    expect(calls).toEqual(['closeCore', 'log:switchyard: closing the core failed', 'exit:1:db-open']);
  });

  it('asks once when quit is requested twice at the same time', async () => {
    let answer!: (a: QuitAnswer) => void;
    const { ports, calls } = harness([wf('in_progress')], 'dont-quit');
    ports.ask = () => {
      calls.push('ask');
      return new Promise((r) => (answer = r));
    };
    const controller = new QuitController(ports);
    const a = controller.requestQuit();
    const b = controller.requestQuit();
    answer('cancel-all');
    await expect(Promise.all([a, b])).resolves.toEqual(['quit', 'quit']);
    expect(calls.filter((c) => c === 'ask')).toHaveLength(1);
    expect(calls.filter((c) => c === 'closeCore')).toHaveLength(1);
  });

  it('shutdown (a signal) closes without asking, and a later quit request joins it', async () => {
    const { controller, calls } = harness([wf('in_progress')], 'dont-quit');
    await controller.shutdown();
    await expect(controller.requestQuit()).resolves.toBe('quit');
    expect(calls).toEqual(['closeCore', 'exit:0:db-closed']);
  });
});

describe('within', () => {
  it('passes the value through in time and rejects with QuitTimeoutError after the bound', async () => {
    await expect(within(Promise.resolve(7), 1000)).resolves.toBe(7);
    vi.useFakeTimers();
    const late = within(new Promise(() => {}), 50);
    const check = expect(late).rejects.toBeInstanceOf(QuitTimeoutError);
    await vi.advanceTimersByTimeAsync(50);
    await check;
  });
});
