// Just enough of CSP Level 3 to ask "does this policy let the built page load its own script and
// stylesheet, and does it refuse inline code and eval?" — the questions the wiring test asks of
// the policy the session sends. Source lists: 'self', 'none', scheme sources, host sources,
// 'unsafe-inline' / 'unsafe-eval' (and nonces/hashes, which would also permit inline code).

export type Policy = Map<string, string[]>;

export function parseCsp(header: string): Policy {
  const policy: Policy = new Map();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    const key = name.toLowerCase();
    if (!policy.has(key)) policy.set(key, sources); // the first occurrence wins
  }
  return policy;
}

/** The directive that governs `directive`, falling back to default-src as browsers do. */
function sourcesFor(policy: Policy, directive: 'script-src' | 'style-src'): string[] | null {
  return policy.get(directive) ?? policy.get('default-src') ?? null;
}

/**
 * Whether `policy` lets a page at `pageUrl` use `what` under `directive`: a URL to load, or
 * 'inline' (an inline <script>/<style>/style attribute) or 'eval' (script-src only).
 */
export function cspAllows(policy: Policy, directive: 'script-src' | 'style-src', what: string, pageUrl: string): boolean {
  const sources = sourcesFor(policy, directive);
  if (sources === null) return true; // no policy for it: anything goes
  const lower = sources.map((s) => s.toLowerCase());
  if (what === 'inline') return lower.some((s) => s === "'unsafe-inline'" || s === "'unsafe-hashes'" || s.startsWith("'nonce-") || /^'sha(256|384|512)-/.test(s));
  if (what === 'eval') return lower.some((s) => s === "'unsafe-eval'" || s === "'wasm-unsafe-eval'");
  if (lower.includes("'none'")) return false;
  const url = new URL(what);
  const page = new URL(pageUrl);
  return lower.some((s) => {
    if (s === "'self'") return url.protocol === page.protocol && url.host === page.host;
    if (s === '*') return url.protocol !== 'file:' && url.protocol !== 'data:' && url.protocol !== 'blob:';
    if (/^[a-z][a-z0-9+.-]*:$/.test(s)) return url.protocol === s;
    if (s.startsWith("'")) return false;
    const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^/:]+)(?::(\d+|\*))?(\/.*)?$/.exec(s);
    if (!m) return false;
    const [, scheme, wildcard, host, port, path] = m;
    if (scheme && `${scheme}:` !== url.protocol) return false;
    if (wildcard ? !url.hostname.endsWith(`.${host}`) : url.hostname !== host) return false;
    if (port && port !== '*' && url.port !== port) return false;
    if (path && !(path.endsWith('/') ? url.pathname.startsWith(path) : url.pathname === path)) return false;
    return true;
  });
}

export interface PageAssets {
  scripts: string[];
  styles: string[];
  /** Inline code the page carries: inline <script>, <style>, style="…" and on…= attributes. */
  inline: string[];
  metaCsp: string | null;
}

/** The scripts and stylesheets a built index.html references, and any inline code in it. */
export function referencedAssets(html: string): PageAssets {
  const assets: PageAssets = { scripts: [], styles: [], inline: [], metaCsp: null };
  const attr = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag)?.slice(2, 4).find((v) => v !== undefined) ?? null;
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const src = attr(m[0].slice(0, m[0].indexOf('>') + 1), 'src');
    if (src) assets.scripts.push(src);
    else if (m[2]!.trim()) assets.inline.push(`<script>${m[2]!.trim().slice(0, 40)}`);
  }
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    if (/\brel\s*=\s*["']?stylesheet/i.test(m[0])) assets.styles.push(attr(m[0], 'href') ?? '');
  }
  for (const m of html.matchAll(/<style\b[^>]*>[\s\S]*?<\/style>/gi)) assets.inline.push(m[0].slice(0, 40));
  for (const m of html.matchAll(/<[a-z][^>]*\s(style|on[a-z]+)\s*=[^>]*>/gi)) assets.inline.push(m[0].slice(0, 60));
  for (const m of html.matchAll(/<meta\b[^>]*>/gi)) {
    if (/http-equiv\s*=\s*["']content-security-policy["']/i.test(m[0])) assets.metaCsp = attr(m[0], 'content');
  }
  return assets;
}
