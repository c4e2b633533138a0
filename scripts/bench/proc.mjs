// CPU time and memory of a process, from /proc (Linux).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let tick = null;
/** Clock ticks per second (`getconf CLK_TCK`, usually 100). */
export function clockTicks() {
  if (tick !== null) return tick;
  try {
    tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    tick = 100;
  }
  return tick;
}

/** utime + stime of `pid` (all its threads), in ms; null if it is gone. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may hold spaces and parentheses: count from the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks();
  } catch {
    return null;
  }
}

/** A `Vm…` field of /proc/<pid>/status in KiB (VmHWM = peak RSS, VmRSS = now); null if gone. */
export function vmKiB(pid, field = 'VmHWM') {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
