// The probe sees a port another program holds, and leaves a free one free.
import { createServer, type Server } from 'node:net';
import { expect, it } from 'vitest';
import { portFree, rangeFree } from './portProbe';

const listen = (port: number, host: string) =>
  new Promise<Server>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ port, host }, () => resolve(s));
  });
const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

it('reports a port bound by another listener (127.0.0.1 or all addresses) as taken, and frees its own probe', async () => {
  const held = await listen(0, '127.0.0.1');
  const port = (held.address() as { port: number }).port;
  expect(await portFree(port)).toBe(false);
  expect(await rangeFree(port - 3, 10)).toBe(false);
  await close(held);
  expect(await portFree(port)).toBe(true);
  expect(await portFree(port)).toBe(true); // the probe itself released it

  const any = await listen(port, '0.0.0.0');
  expect(await portFree(port)).toBe(false);
  await close(any);
});
