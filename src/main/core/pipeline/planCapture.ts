// `captureAs: "plan"`: the plan a stage wrote, from its stdout or from a file in the worktree,
// bounded so that it fits in an argv element and an environment variable of the next stage.
import { open, realpath } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { completeLength } from './bytes';

/** Linux limits one argv element or environment string to 128 KiB; stay well below. */
export const MAX_PLAN_BYTES = 64 * 1024;

const truncatedNote = (total: number) => `\n\n[plan truncated: ${total} bytes, only the first ${MAX_PLAN_BYTES} kept]`;

/** Keeps the first MAX_PLAN_BYTES of stdout. */
export class StdoutPlan {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private total = 0;

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const room = MAX_PLAN_BYTES - this.size;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(Buffer.from(part));
    this.size += part.length;
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    const body = all.subarray(0, completeLength(all)).toString('utf8').trim();
    return this.total > MAX_PLAN_BYTES ? body + truncatedNote(this.total) : body;
  }
}

export class PlanFileError extends Error {}

/** Reads the plan file a stage wrote; it must lie inside the worktree (symbolic links included). */
export async function readPlanFile(worktree: string, relPath: string): Promise<{ text: string; file: string }> {
  const wanted = resolve(worktree, relPath);
  let real: string;
  let root: string;
  try {
    real = await realpath(wanted);
    root = await realpath(worktree);
  } catch {
    throw new PlanFileError(`the stage did not write its plan file ${relPath}`);
  }
  const rel = relative(root, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || resolve(root, rel) !== real) {
    throw new PlanFileError(`the plan file ${relPath} resolves outside the worktree`);
  }
  const handle = await open(real, 'r').catch(() => null);
  if (!handle) throw new PlanFileError(`the plan file ${relPath} cannot be read`);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new PlanFileError(`the plan file ${relPath} is not a regular file`);
    const buf = Buffer.alloc(Math.min(info.size, MAX_PLAN_BYTES));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const body = buf.subarray(0, completeLength(buf.subarray(0, bytesRead))).toString('utf8').trim();
    return { text: info.size > MAX_PLAN_BYTES ? body + truncatedNote(info.size) : body, file: wanted };
  } finally {
    await handle.close();
  }
}
