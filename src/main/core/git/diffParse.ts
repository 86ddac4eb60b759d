// Parsers for `git diff -z --name-status` and `git diff -z --numstat`.
import type { DiffFile } from '../../../shared/domain';
import { splitNul } from './gitCli';

export interface NameStatus {
  status: string;
  path: string;
  oldPath?: string;
}

export function parseNameStatus(output: string): NameStatus[] {
  const fields = splitNul(output);
  const out: NameStatus[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++]!;
    if (status[0] === 'R' || status[0] === 'C') {
      out.push({ status, oldPath: fields[i++]!, path: fields[i++]! });
    } else {
      out.push({ status, path: fields[i++]! });
    }
  }
  return out;
}

export interface NumStat {
  additions: number;
  deletions: number;
  binary: boolean;
}

/** Counts by (new) path. A rename is `a\td\t` followed by the old and new paths in their own fields. */
export function parseNumstat(output: string): Map<string, NumStat> {
  const fields = splitNul(output);
  const out = new Map<string, NumStat>();
  for (let i = 0; i < fields.length; ) {
    const [a = '', d = '', inlinePath = ''] = fields[i++]!.split('\t');
    let path = inlinePath;
    if (path === '') {
      i++; // the old path
      path = fields[i++] ?? '';
    }
    const binary = a === '-' && d === '-';
    out.set(path, { additions: binary ? 0 : Number(a), deletions: binary ? 0 : Number(d), binary });
  }
  return out;
}

export function toDiffFiles(names: readonly NameStatus[], stats: Map<string, NumStat>, untracked: ReadonlySet<string>): DiffFile[] {
  return names.map((n) => {
    const s = stats.get(n.path) ?? { additions: 0, deletions: 0, binary: false };
    const file: DiffFile = { path: n.path, status: statusOf(n, untracked), additions: s.additions, deletions: s.deletions, binary: s.binary };
    if (n.oldPath !== undefined) file.oldPath = n.oldPath;
    return file;
  });
}

function statusOf(n: NameStatus, untracked: ReadonlySet<string>): DiffFile['status'] {
  switch (n.status[0]) {
    case 'A':
      return untracked.has(n.path) ? 'untracked' : 'added';
    case 'D':
      return 'deleted';
    case 'R':
      return 'renamed';
    case 'C':
      return 'added';
    default: // M, T (type change), U (unmerged)
      return 'modified';
  }
}
