import { describe, expect, it } from 'vitest';
import { keyHelper, KeyHelperError } from '../../src/config/key-helper.js';
import { createRedactor, NO_SECRETS } from '../../src/domain/redact.js';

describe('keyHelper', () => {
  it('runs the command once, caches its trimmed output, and teaches the redactor the key', async () => {
    const redactor = createRedactor();
    const h = keyHelper("printf '  key-abc123  \\n'", { redactor });
    expect(h.runs).toBe(0);
    expect(await h.current()).toBe('key-abc123');
    expect(await h.current()).toBe('key-abc123');
    expect(h.runs).toBe(1);
    expect(redactor.redact('the key-abc123 here')).toBe('the [redacted] here');
  });

  it('refresh runs it again; concurrent callers share one run', async () => {
    const h = keyHelper('echo k-$$', { redactor: createRedactor() });
    const [a, b] = await Promise.all([h.current(), h.current()]);
    expect(a).toBe(b);
    const c = await h.refresh();
    expect(c).not.toBe(a);
    expect(h.runs).toBe(2);
  });

  it('asks again once the key is older than the TTL', async () => {
    const h = keyHelper('echo k-$$', { redactor: createRedactor(), ttlMs: 1 });
    await h.current();
    await new Promise((r) => setTimeout(r, 5));
    await h.current();
    expect(h.runs).toBe(2);
  });

  it('failures are KeyHelperErrors naming the setting', async () => {
    const r = createRedactor();
    await expect(keyHelper('exit 4', { redactor: r }).current()).rejects.toThrow(/^The apiKeyHelper setting's command failed \(exit 4\)\./);
    await expect(keyHelper('true', { redactor: r }).current()).rejects.toBeInstanceOf(KeyHelperError);
    await expect(keyHelper('sleep 5', { redactor: r, timeoutMs: 100 }).current()).rejects.toThrow(/did not finish within 0.1 s/);
  });

  it('scrubs what the helper said on failure', async () => {
    const r = createRedactor(['hunter22']);
    await expect(keyHelper("echo 'bad hunter22' >&2; exit 1", { redactor: r }).current()).rejects.toThrow('bad [redacted]');
  });
});

describe('a redactor that learns', () => {
  it('hides a secret added later, everywhere it is held', () => {
    const r = createRedactor(['first-secret']);
    const held = { r };
    r.add('later-secret');
    expect(held.r.redact('first-secret later-secret')).toBe('[redacted] [redacted]');
    expect(held.r.size).toBe(2);
    r.add('');
    r.add(null);
    expect(r.size).toBe(2);
  });
  it('NO_SECRETS refuses to learn', () => {
    expect(() => NO_SECRETS.add('x')).toThrow();
  });
});
