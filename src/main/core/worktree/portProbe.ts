// Is a port range free on this machine? The database only knows the ranges Switchyard handed
// out; another program (a dev server started by hand, a database) may hold ports in the next one.
import { createServer } from 'node:net';

/** True when `port` can be bound on `host` right now (it is released again at once). */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    // Any refusal (EADDRINUSE, EACCES) means a program there could not use it either.
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True when every port of base .. base+count-1 is free on `host` (probed in parallel). */
export async function rangeFree(base: number, count: number, host = '127.0.0.1'): Promise<boolean> {
  const free = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i, host)));
  return free.every(Boolean);
}
