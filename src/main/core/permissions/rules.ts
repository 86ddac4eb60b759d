// Permission rules in Claude Code's own syntax (docs/permissions.md), so a rule reads the same in
// a pipeline, in Switchyard's settings and in the CLI's own settings:
//   `Bash`               every call of the tool
//   `Bash(npm test)`     exactly that command;  `Bash(npm test:*)`  the command or it followed by arguments
//   `WebFetch(domain:example.com)`  a URL on that host (or a subdomain of it)
//   `Edit(src/**)`       a file tool (Edit, Write, MultiEdit, NotebookEdit, Read) on a matching path
//   `mcp__srv__tool`     a tool by name
import { isAbsolute, relative } from 'node:path';
import { PERMISSION_RULE_RE } from '../../../shared/permissions';

const FILE_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit', 'Read']);

export interface ToolRequest {
  tool: string;
  input: unknown;
  /** The worktree, to read file paths relative to it. */
  cwd: string;
}

interface Parsed {
  tool: string;
  spec: string | null;
}

export function parseRule(rule: string): Parsed | null {
  if (!PERMISSION_RULE_RE.test(rule)) return null;
  const open = rule.indexOf('(');
  return open < 0 ? { tool: rule, spec: null } : { tool: rule.slice(0, open), spec: rule.slice(open + 1, -1) };
}

const field = (input: unknown, key: string): string | undefined => {
  const v = input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/** Does `rule` cover this request? A malformed rule covers nothing. */
export function ruleMatches(rule: string, req: ToolRequest): boolean {
  const p = parseRule(rule);
  if (!p) return false;
  // Claude Code writes "Edit" for every file-editing tool in rules.
  const toolOk = p.tool === req.tool || (p.tool === 'Edit' && ['Write', 'MultiEdit', 'NotebookEdit'].includes(req.tool));
  if (!toolOk) return false;
  if (p.spec === null) return true;
  if (req.tool === 'Bash') {
    const command = field(req.input, 'command')?.trim();
    if (command === undefined) return false;
    if (p.spec.endsWith(':*')) {
      const prefix = p.spec.slice(0, -2).trim();
      return command === prefix || command.startsWith(`${prefix} `);
    }
    return command === p.spec.trim();
  }
  if (req.tool === 'WebFetch') {
    if (!p.spec.startsWith('domain:')) return false;
    const domain = p.spec.slice('domain:'.length).toLowerCase();
    let host: string;
    try {
      host = new URL(field(req.input, 'url') ?? '').hostname.toLowerCase();
    } catch {
      return false;
    }
    return host === domain || host.endsWith(`.${domain}`);
  }
  if (FILE_TOOLS.has(req.tool)) {
    const path = field(req.input, 'file_path') ?? field(req.input, 'notebook_path') ?? field(req.input, 'path');
    if (path === undefined) return false;
    const rel = isAbsolute(path) ? relative(req.cwd, path) : path;
    if (rel.startsWith('..')) return false; // outside the worktree: no relative rule covers it
    return globToRegExp(p.spec).test(rel);
  }
  return false;
}

/** The first rule of `rules` that covers the request. */
export function firstMatch(rules: readonly string[], req: ToolRequest): string | null {
  return rules.find((r) => ruleMatches(r, req)) ?? null;
}

/**
 * The rule "Allow always" remembers: as narrow as the request (the exact command, the host, the
 * file), so remembering one answer never allows more than was seen; null when no rule is that
 * narrow (a command of several lines, a URL without a host, a path outside the worktree).
 */
export function ruleFor(req: ToolRequest): string | null {
  if (req.tool === 'Bash') {
    const command = field(req.input, 'command')?.trim();
    // A prefix rule ends in ":*": an exact command that ends so would be read as one.
    return command && !command.includes('\n') && !command.endsWith(':*') && command.length <= 1000 ? `Bash(${command})` : null;
  }
  if (req.tool === 'WebFetch') {
    try {
      const host = new URL(field(req.input, 'url') ?? '').hostname;
      return host ? `WebFetch(domain:${host})` : null;
    } catch {
      return null;
    }
  }
  if (FILE_TOOLS.has(req.tool)) {
    const path = field(req.input, 'file_path') ?? field(req.input, 'notebook_path');
    const rel = path && (isAbsolute(path) ? relative(req.cwd, path) : path);
    return rel && !rel.startsWith('..') && !/[*?\n]/.test(rel) ? `${req.tool}(${rel})` : null;
  }
  return req.tool; // a tool without arguments a rule can name (an MCP tool): the tool itself
}

/** `*` any characters but `/`, `**` any characters. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
