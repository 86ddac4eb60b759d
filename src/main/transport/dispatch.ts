// From a raw message to an answer: the envelope is checked, the params are parsed with the
// contract's zod schema, the handler runs, and whatever it throws becomes an error body.
// Nothing reaches the core unparsed; nothing internal (stack, source paths) leaves.
import type { z } from 'zod';
import { RequestSchema, contract, isMethod, type ErrorBody, type Method, type RequestId, type Response } from '../../shared/contract';
import type { Reply } from '../../shared/bridge';
import { isSwitchyardError } from '../../shared/errors';
import type { Handler, Handlers } from './handlers';
import { storageError } from '../core/store/storageError';

export interface DispatchOptions {
  /** Told of every error that is not a SwitchyardError (a bug or an I/O fault): log it here. */
  onInternalError?: (method: string, error: unknown) => void;
}

const MAX_LISTED_ISSUES = 10;

/** A readable one-line summary of zod issues: `worktreePath: Too small…; issueId: issueId is required`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `${i.path.length ? i.path.map(String).join('.') : '(params)'}: ${i.message}`);
  if (issues.length > MAX_LISTED_ISSUES) parts.push(`and ${issues.length - MAX_LISTED_ISSUES} more`);
  return parts.join('; ');
}

function issueDetails(issues: readonly z.core.$ZodIssue[]): Record<string, unknown> {
  return {
    issues: issues.slice(0, MAX_LISTED_ISSUES).map((i) => ({ path: i.path.map(String).join('.'), code: i.code, message: i.message })),
  };
}

export function toErrorBody(method: string, e: unknown, options: DispatchOptions = {}): ErrorBody {
  if (isSwitchyardError(e)) {
    return e.details === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, details: e.details };
  }
  (options.onInternalError ?? defaultInternalError)(method, e);
  // A locked, read-only or failing disk is not a bug: say what is wrong (details name the SQLite code).
  const storage = storageError(e);
  if (storage) return { code: storage.code, message: storage.message, details: storage.details! };
  return { code: 'INTERNAL', message: `Internal error while handling ${isMethod(method) ? method : 'the request'}; see the Switchyard log` };
}

function defaultInternalError(method: string, e: unknown): void {
  console.error(`switchyard: internal error in ${method}:`, e);
}

/** Runs one call: parse params, call the handler, wrap the outcome. Never throws. */
export async function invoke(handlers: Handlers, method: unknown, params: unknown, options: DispatchOptions = {}): Promise<Reply<unknown>> {
  if (!isMethod(method)) {
    return { error: { code: 'INVALID_INPUT', message: `Unknown method ${JSON.stringify(String(method).slice(0, 100))}` } };
  }
  const schema = contract[method].params as z.ZodType;
  // A missing params object means `{}` (methods without params); anything else must parse.
  const parsed = schema.safeParse(params === undefined ? {} : params);
  if (!parsed.success) {
    return {
      error: {
        code: 'INVALID_INPUT',
        message: `Invalid params for ${method}: ${describeIssues(parsed.error.issues)}`,
        details: issueDetails(parsed.error.issues),
      },
    };
  }
  try {
    const handler = handlers[method] as Handler<Method>;
    return { result: await handler(parsed.data as never) };
  } catch (e) {
    return { error: toErrorBody(method, e, options) };
  }
}

function invalid(id: RequestId | null, message: string, details?: Record<string, unknown>): Response {
  return { id, error: details ? { code: 'INVALID_INPUT', message, details } : { code: 'INVALID_INPUT', message } };
}

/** A request that is already a JSON value: `{id, method, params}` -> `{id, result}` | `{id, error}`. */
export async function handleRequest(handlers: Handlers, message: unknown, options: DispatchOptions = {}): Promise<Response> {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return invalid(null, 'A request must be a JSON object {id, method, params}');
  }
  const envelope = RequestSchema.safeParse(message);
  if (!envelope.success) {
    // Echo the id when it is a valid one, so the caller can still match the answer.
    const rawId = (message as Record<string, unknown>).id;
    const id = Object.hasOwn(message, 'id') && (typeof rawId === 'number' || (typeof rawId === 'string' && rawId.length <= 200)) ? rawId : null;
    return invalid(id, `Invalid request: ${describeIssues(envelope.error.issues)}`, issueDetails(envelope.error.issues));
  }
  const { id, method, params } = envelope.data;
  const reply = await invoke(handlers, method, params, options);
  return 'error' in reply ? { id, error: reply.error } : { id, result: reply.result };
}

/** A request as text (one WebSocket frame). */
export async function handleText(handlers: Handlers, text: string, options: DispatchOptions = {}): Promise<Response> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return invalid(null, 'The message is not valid JSON');
  }
  return handleRequest(handlers, message, options);
}

/** Serializes an answer; a result that cannot be serialized becomes an INTERNAL error. */
export function serializeResponse(response: Response, options: DispatchOptions = {}): string {
  try {
    return JSON.stringify(response);
  } catch (e) {
    const body = toErrorBody('the response', e, options);
    return JSON.stringify({ id: response.id, error: body });
  }
}
