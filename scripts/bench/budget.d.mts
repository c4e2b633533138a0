// Types of budget.mjs (for the TypeScript tests that import it).

/** Bytes of one category's share of terminal output (UTF-8 bytes). */
export interface ByteTally {
  bytes: number;
  text: number;
  sgr: number;
  control: number;
  controls: Record<'cup' | 'erase' | 'scroll' | 'sync' | 'saveRestore' | 'move' | 'newline' | 'osc' | 'other', number>;
}

/** The whole output's tally, with the status bar row's bytes and everyone else's. */
export interface ByteBudget extends ByteTally {
  status: ByteTally;
  rest: ByteTally;
}

export const CONTROL_KINDS: readonly string[];
export function csiKind(params: string, final: string): 'sgr' | 'cup' | 'erase' | 'scroll' | 'sync' | 'move' | 'other';
export function classifyOutput(data: string, o?: { statusRow?: number; rows?: number; startRow?: number }): ByteBudget;
