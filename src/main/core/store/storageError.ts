// SQLite failures that are not bugs but trouble with the disk or another program: turned into
// errors a person can act on, instead of "internal error, see the log".
import { SwitchyardError } from '../../../shared/errors';

const NOTHING_CHANGED = 'so nothing was changed';

/** A SwitchyardError (code INTERNAL: the fault is the machine's, not the caller's) or null. */
export function storageError(e: unknown): SwitchyardError | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const fail = (message: string) => new SwitchyardError('INTERNAL', message, { storage: code });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return fail(`Switchyard's database is locked by another program (another Switchyard on the same data directory?), ${NOTHING_CHANGED}; close it and try again`);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return fail(`Switchyard's database cannot be written (the file or its folder is read-only), ${NOTHING_CHANGED}`);
  }
  if (code === 'SQLITE_FULL') return fail(`The disk holding Switchyard's database is full, ${NOTHING_CHANGED}`);
  if (code.startsWith('SQLITE_IOERR')) return fail(`A disk I/O error stopped Switchyard from writing its database, ${NOTHING_CHANGED}`);
  if (code.startsWith('SQLITE_CANTOPEN')) return fail(`Switchyard cannot open its database file, ${NOTHING_CHANGED}`);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return fail(`Switchyard's database file is damaged (${code}); restore it from a backup or move it aside`);
  }
  return null;
}
