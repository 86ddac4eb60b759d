import type { ErrorCode } from '../../../shared/errors';

/** A failed call: the server's error code, message and details, or a connection failure. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** Why a call failed without an answer from the server. */
export type ConnectionFailure = 'lost' | 'timeout' | 'closed';

export function connectionError(kind: ConnectionFailure, message: string): ClientError {
  return new ClientError('INTERNAL', message, { connection: kind });
}

export function isConnectionError(e: unknown): boolean {
  return e instanceof ClientError && e.details !== undefined && typeof e.details.connection === 'string';
}
