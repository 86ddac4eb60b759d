import { afterEach, expect, it } from 'vitest';
import { RawClient, startFixture, type ServerFixture } from './helpers';

let fx: ServerFixture;
afterEach(async () => fx?.close());

it('answers a call', async () => {
  fx = await startFixture();
  const c = await RawClient.open(fx.server);
  const r = await c.call('settings.get', {});
  expect(r).toMatchObject({ id: 1, result: { maxConcurrent: 5 } });
  await c.close();
});
