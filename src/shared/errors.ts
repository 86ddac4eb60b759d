// Error codes of the wire contract (docs/design.md §4.1) and the one error class that carries them.

export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'INVALID_STATE',
  'WORKTREE_CONFLICT',
  'CONCURRENCY_LIMIT',
  'UNAUTHORIZED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, unknown>;

export class SwitchyardError extends Error {
  override readonly name = 'SwitchyardError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }

  toJSON(): { code: ErrorCode; message: string; details?: ErrorDetails } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isSwitchyardError(e: unknown): e is SwitchyardError {
  return e instanceof SwitchyardError;
}

export const invalidInput = (message: string, details?: ErrorDetails) =>
  new SwitchyardError('INVALID_INPUT', message, details);
export const notFound = (message: string, details?: ErrorDetails) =>
  new SwitchyardError('NOT_FOUND', message, details);
export const invalidState = (message: string, details?: ErrorDetails) =>
  new SwitchyardError('INVALID_STATE', message, details);
