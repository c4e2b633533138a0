import { DEFAULT_SETTINGS, loadSettings, type Settings } from '../config/settings.js';
import type { CliIo } from './sessions-cli.js';

const KEYS = Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>;

function isKey(k: string): k is keyof Settings {
  return (KEYS as string[]).includes(k);
}

/**
 * Reads a value typed on the command line as the type the setting has: numbers, booleans, JSON for
 * lists and objects, text otherwise.
 * @throws Error with plain words when the text cannot be that type
 */
export function parseSettingValue(key: keyof Settings, text: string): Settings[keyof Settings] {
  const sample = DEFAULT_SETTINGS[key];
  if (typeof sample === 'number') {
    const n = Number(text.replace(/[,_]/g, ''));
    if (!Number.isFinite(n)) throw new Error(`${key} takes a number`);
    return n as Settings[keyof Settings];
  }
  if (typeof sample === 'boolean') {
    if (/^(true|on|yes|1)$/i.test(text)) return true as Settings[keyof Settings];
    if (/^(false|off|no|0)$/i.test(text)) return false as Settings[keyof Settings];
    throw new Error(`${key} takes true or false`);
  }
  if (typeof sample === 'object') {
    try {
      return JSON.parse(text) as Settings[keyof Settings];
    } catch {
      throw new Error(`${key} takes JSON, e.g. ${JSON.stringify(sample)}`);
    }
  }
  return text as Settings[keyof Settings];
}

/**
 * `inkwell config list|get <key>|set <key> <value>|path`, on settings kept with conf.
 * @param configDir the config directory (config/paths.ts)
 * @returns exit code
 */
export function configCommand(configDir: string, action: string, key: string | undefined, value: string | undefined, io: CliIo): number {
  const loaded = loadSettings(configDir);
  if (loaded.problem && action !== 'path') io.err.write(`inkwell: ${loaded.problem}\n`);
  switch (action) {
    case 'path':
      io.out.write(`${loaded.path ?? `${configDir}/config.json`}\n`);
      return 0;
    case 'list':
      for (const k of KEYS) io.out.write(`${k} = ${JSON.stringify(loaded.settings[k])}\n`);
      return 0;
    case 'get':
      if (!key || !isKey(key)) {
        io.err.write(`inkwell: unknown setting ${key ?? ''}. Settings: ${KEYS.join(', ')}\n`);
        return 2;
      }
      io.out.write(`${JSON.stringify(loaded.settings[key])}\n`);
      return 0;
    case 'set': {
      // `presets.<name> <text>` (and `prices.<model> <json>`): one entry of an object setting.
      const dot = key?.indexOf('.') ?? -1;
      if (key && dot > 0 && value !== undefined) {
        const top = key.slice(0, dot);
        const entry = key.slice(dot + 1);
        if (top === 'presets' || top === 'prices') {
          let v: unknown = value;
          if (top === 'prices') {
            try {
              v = JSON.parse(value);
            } catch {
              io.err.write('inkwell: prices.<model> takes JSON, e.g. {"input":3,"output":15,"cacheWrite":3.75,"cacheRead":0.3}\n');
              return 2;
            }
          }
          const next = { ...loaded.settings[top], [entry]: v } as Settings[typeof top];
          const problem = loaded.set(top, next);
          if (problem) {
            io.err.write(`inkwell: ${key} was not saved: ${problem}\n`);
            return 1;
          }
          io.out.write(`${key} = ${JSON.stringify(v)}\n`);
          return 0;
        }
      }
      if (!key || !isKey(key) || value === undefined) {
        io.err.write(`inkwell: usage: inkwell config set <key> <value>. Settings: ${KEYS.join(', ')}\n`);
        return 2;
      }
      let parsed;
      try {
        parsed = parseSettingValue(key, value);
      } catch (e) {
        io.err.write(`inkwell: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
      }
      const problem = loaded.set(key, parsed);
      if (problem) {
        io.err.write(`inkwell: ${key} was not saved: ${problem}\n`);
        return 1;
      }
      io.out.write(`${key} = ${JSON.stringify(parsed)}\n`);
      return 0;
    }
    default:
      io.err.write('inkwell: usage: inkwell config list | get <key> | set <key> <value> | path\n');
      return 2;
  }
}
