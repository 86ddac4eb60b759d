// Serves the built renderer (out/renderer) over plain HTTP: GET/HEAD only, a fixed content-type
// map, no path ever resolved outside the root (`..`, encoded slashes, NUL bytes, symlinks out).
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  // The page URL carries the token: never send it on in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

/** The file a URL path names inside `root`, or null when it would leave it. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  if (decoded.split('/').some((seg) => seg === '..')) return null;
  const file = resolve(root, '.' + decoded);
  return file === root || file.startsWith(root + sep) ? file : null;
}

export function createStaticHandler(rootDir: string): (req: IncomingMessage, res: ServerResponse) => void {
  const root = resolve(rootDir);
  let realRoot: Promise<string | null> | null = null;
  const getRealRoot = () => (realRoot ??= realpath(root).catch(() => null));

  const serveFile = async (req: IncomingMessage, res: ServerResponse, file: string): Promise<boolean> => {
    const real = await realpath(file).catch(() => null);
    const base = await getRealRoot();
    if (!real || !base || !(real === base || real.startsWith(base + sep))) return false;
    const info = await stat(real).catch(() => null);
    if (!info?.isFile()) return false;
    const type = CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': type,
      'Content-Length': info.size,
      'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((done) => {
      const stream = createReadStream(real);
      stream.on('error', () => {
        res.destroy();
        done();
      });
      stream.on('end', done);
      stream.pipe(res);
    });
    return true;
  };

  return (req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
      const file = resolveInside(root, pathname);
      if (file === null) return plain(res, 404, 'Not Found');
      const target = pathname.endsWith('/') ? join(file, 'index.html') : file;
      if (await serveFile(req, res, target)) return;
      // Client-side routes (no extension) get the app; a missing asset is a 404.
      if (extname(pathname) === '' && (await serveFile(req, res, join(root, 'index.html')))) return;
      if (!(await getRealRoot()) || !(await stat(join(root, 'index.html')).catch(() => null))) {
        return plain(res, 503, 'The Switchyard window is not built yet: run `npx electron-vite build` (or `node scripts/serve.mjs`), then reload.');
      }
      plain(res, 404, 'Not Found');
    })().catch(() => {
      if (!res.headersSent) plain(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  };
}
