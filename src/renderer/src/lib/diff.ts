// Splits a unified diff (git diff output) into one patch per file, and classifies its lines.

export interface FilePatch {
  path: string;
  lines: string[];
}

const HEADER = /^diff --git a\/(.+?) b\/(.+)$/;

export function splitPatch(patch: string): FilePatch[] {
  const files: FilePatch[] = [];
  let current: FilePatch | null = null;
  for (const line of patch.split('\n')) {
    const m = HEADER.exec(line);
    if (m) {
      current = { path: m[2]!, lines: [line] };
      files.push(current);
    } else if (current) current.lines.push(line);
  }
  for (const f of files) {
    while (f.lines.length > 1 && f.lines[f.lines.length - 1] === '') f.lines.pop();
  }
  return files;
}

export type LineKind = 'add' | 'del' | 'hunk' | 'meta' | 'context';

export function lineKind(line: string): LineKind {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff --git') || line.startsWith('index ') || line.startsWith('new file') || line.startsWith('deleted file') || line.startsWith('similarity') || line.startsWith('rename ') || line.startsWith('Binary files')) return 'meta';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'context';
}
