import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI } from './pty.js';

/** What a piped (no terminal) run of the CLI gave back. */
export interface PipedRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs `node dist/inkwell.js` with pipes for stdin, stdout and stderr (no terminal), CI unset,
 * in a fresh INKWELL_HOME unless `env` names one (a run never writes the developer's own sessions).
 * @param env added to the test's environment; an undefined value removes the variable
 * @param stdin written then closed; nothing (just closed) when absent
 */
export function runPiped(
  args: string[],
  o: { env?: Record<string, string | undefined>; stdin?: Buffer | string | null } = {},
): Promise<PipedRun> {
  return new Promise((resolve) => {
    const env: Record<string, string> = {};
    const home = o.env && 'INKWELL_HOME' in o.env ? {} : { INKWELL_HOME: mkdtempSync(path.join(tmpdir(), 'inkwell-piped-')) };
    // No title request after the first reply unless a test asks (tests count and script requests).
    for (const [k, v] of Object.entries({ ...process.env, INKWELL_AUTO_TITLE: '0', ...home, ...o.env })) if (v !== undefined) env[k] = v;
    delete env.CI;
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
    if (o.stdin !== undefined && o.stdin !== null) child.stdin.end(o.stdin);
    else child.stdin.end();
  });
}
