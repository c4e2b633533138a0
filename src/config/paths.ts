import envPaths from 'env-paths';
import path from 'node:path';

/** Where inkwell keeps its files (absolute paths). */
export interface InkwellPaths {
  /** Settings (conf's `config.json`). */
  config: string;
  /** Sessions and other user data. */
  data: string;
  /** Logs and other state worth keeping but not backing up. */
  state: string;
}

/**
 * Resolves inkwell's directories. `INKWELL_HOME` overrides every path (tests use it: each test
 * gets its own); otherwise the XDG base directories via env-paths (`XDG_CONFIG_HOME`,
 * `XDG_DATA_HOME`, `XDG_STATE_HOME`, with the platform defaults when unset).
 * @param env usually `process.env`
 */
export function resolvePaths(env: NodeJS.ProcessEnv = process.env): InkwellPaths {
  const home = env.INKWELL_HOME?.trim();
  if (home) {
    const root = path.resolve(home);
    return { config: path.join(root, 'config'), data: path.join(root, 'data'), state: path.join(root, 'state') };
  }
  // env-paths reads process.env directly; the XDG variables it honours are the ones passed here.
  const saved = { ...process.env };
  try {
    for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME'] as const) {
      if (env[k] !== undefined) process.env[k] = env[k];
    }
    const p = envPaths('inkwell', { suffix: '' });
    return { config: p.config, data: p.data, state: p.log };
  } finally {
    for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME'] as const) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}
