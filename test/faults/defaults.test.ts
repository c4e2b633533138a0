/**
 * The documented defaults behind the fault handling, which the pty suites shorten through the
 * environment: the idle watchdog closes a silent stream after 90 s; 4 retries (5 attempts) before
 * the first byte; a server-asked wait over 60 s is not waited out.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDLE_TIMEOUT_MS } from '../../src/api/stream.js';
import { DEFAULT_MAX_RETRIES, MAX_RETRY_WAIT_MS } from '../../src/api/retry.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';

describe('fault-handling defaults', () => {
  it('idle watchdog 90 s, 4 retries (5 attempts) in the code and in the settings, 60 s longest wait', () => {
    expect(DEFAULT_IDLE_TIMEOUT_MS).toBe(90_000);
    expect(DEFAULT_MAX_RETRIES).toBe(4);
    expect(DEFAULT_SETTINGS.retries).toBe(4);
    expect(MAX_RETRY_WAIT_MS).toBe(60_000);
  });
});
