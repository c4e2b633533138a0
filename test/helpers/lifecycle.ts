import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/**
 * A test fixture made before the tests and disposed of after them, usable at once through a
 * stand-in object: `const server = provide(startMessagesServer, (s) => s.close())` replaces the
 * let/beforeAll/afterAll triple every suite would otherwise repeat.
 * @param scope 'all': one for the file (beforeAll/afterAll); 'each': a fresh one per test
 */
export function provide<T extends object>(make: () => Promise<T>, dispose: (value: T) => unknown, scope: 'all' | 'each' = 'all'): T {
  let current: T | null = null;
  const [before, after] = scope === 'all' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    current = await make();
  });
  after(async () => {
    if (current) await dispose(current);
    current = null;
  });
  return new Proxy({} as T, {
    get(_target, prop) {
      if (!current) throw new Error(`test fixture used outside a test (${String(prop)})`);
      const v = Reflect.get(current, prop, current) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(current) : v;
    },
  });
}
