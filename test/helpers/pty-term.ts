import { spawnApp, type AppInPty, type SpawnOptions } from './pty.js';

/** `spawnApp` in a pty whose TERM is `term` (e.g. 'dumb'); see SpawnOptions.term. */
export function spawnAppWithTerm(term: string, o: SpawnOptions = {}): AppInPty {
  return spawnApp({ ...o, term });
}
