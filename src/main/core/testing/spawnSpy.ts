// Counts the processes this thread forks while `fn` runs (tests: proof that a worker did it).
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

export async function spawnsOnThisThread<T>(fn: () => Promise<T>): Promise<{ result: T; spawns: number }> {
  let spawns = 0;
  const original = childProcess.spawn;
  childProcess.spawn = ((...a: Parameters<typeof original>) => {
    spawns++;
    return original(...a);
  }) as typeof original;
  // ES modules that imported `spawn` by name see the replacement only after this.
  syncBuiltinESMExports();
  try {
    return { result: await fn(), spawns };
  } finally {
    childProcess.spawn = original;
    syncBuiltinESMExports();
  }
}
