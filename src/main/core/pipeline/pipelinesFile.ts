// Reads `.switchyard/pipelines.json` from a worktree. Every problem becomes one INVALID_INPUT
// error that names the file, the line and column, the JSON path and what is wrong.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { invalidInput } from '../../../shared/errors';
import type { PipelineDef } from '../../../shared/pipeline';
import { KnownPipelinesFileSchema } from '../agents/registry';
import { formatJsonPath, JsonSyntaxError, parseLocatedJson, type JsonPosition } from './jsonLocate';

export const PIPELINES_FILE = join('.switchyard', 'pipelines.json');
const MAX_FILE_BYTES = 1024 * 1024;

export interface ConfigProblem {
  path: string;
  line: number;
  column: number;
  message: string;
}

/** One readable sentence per zod issue. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  if (issue.code === 'invalid_key') {
    const why = issue.issues.map((i) => i.message).join('; ');
    return `invalid name: ${why}`;
  }
  return issue.message;
}

/** The pipelines defined by the worktree's file, or null when it has none. Throws INVALID_INPUT. */
export async function readPipelinesFile(worktreePath: string): Promise<Record<string, PipelineDef> | null> {
  const file = join(worktreePath, PIPELINES_FILE);
  const bytes = await readConfigBytes(file, 'a pipelines file', MAX_FILE_BYTES);
  return bytes === null ? null : parsePipelinesText(bytes.toString('utf8'), file);
}

/** A config file's bytes (pipelines, setup), or null when there is none; unreadable or too large is INVALID_INPUT. */
export async function readConfigBytes(file: string, what: string, maxBytes: number): Promise<Buffer | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw invalidInput(`${file}: cannot be read (${code ?? (e as Error).message})`, { file });
  }
  if (bytes.length > maxBytes) throw invalidInput(`${file}: ${bytes.length} bytes is too large for ${what} (at most ${maxBytes})`, { file });
  return bytes;
}

/** Validates the text of a pipelines file; `file` is only used in messages. */
export function parsePipelinesText(text: string, file: string): Record<string, PipelineDef> {
  return parseConfigText(text, file, KnownPipelinesFileSchema, 'invalid pipeline definition').pipelines;
}

/**
 * Parses and validates a JSON config file (pipelines, setup): every problem becomes one
 * INVALID_INPUT naming the file, the line and column, the JSON path and what is wrong.
 */
export function parseConfigText<S extends z.ZodType>(text: string, file: string, schema: S, what: string): z.output<S> {
  let located;
  try {
    located = parseLocatedJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const { line, column } = e.position;
    throw invalidInput(`${file}: JSON syntax error at line ${line} column ${column}: ${e.problem}`, {
      file,
      problems: [{ path: '', line, column, message: e.problem }],
    });
  }
  const result = schema.safeParse(located.value);
  if (result.success) return result.data;
  const problems: ConfigProblem[] = result.error.issues.map((issue) => {
    // An unknown key: point at it rather than at the object that holds it.
    const at = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
    const where: JsonPosition = located.positionOf(at);
    return { path: formatJsonPath(issue.path), line: where.line, column: where.column, message: describeIssue(issue) };
  });
  const list = problems.map((p) => `line ${p.line} column ${p.column}, at ${p.path}: ${p.message}`).join('; ');
  throw invalidInput(`${file}: ${problems.length === 1 ? what : `${problems.length} problems`}: ${list}`, {
    file,
    problems,
  });
}
