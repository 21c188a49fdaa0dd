/** One resource per test file: started in beforeAll, stopped in afterAll, read through a getter inside tests. */
import { afterAll, beforeAll } from 'vitest';

/** Registers the hooks; the getter throws when used before beforeAll ran (outside a test). */
export function perFile<T>(
  what: string,
  start: () => Promise<T>,
  stop: (resource: T) => Promise<unknown>,
): () => T {
  let resource: T | undefined;
  beforeAll(async () => {
    resource = await start();
  });
  afterAll(async () => {
    if (resource !== undefined) await stop(resource);
  });
  return () => {
    if (resource === undefined) throw new Error(`${what} is not ready (used outside a test?)`);
    return resource;
  };
}
