// Build-time stand-in for marked-terminal's static `import { highlight } from 'cli-highlight'`:
// highlight.js registers ~190 languages when loaded, which cost every start-up ~100 ms for code
// that may never be shown. inkwell renders code itself (src/markdown/highlight.ts loads
// cli-highlight lazily); this forwards to the real module only if marked-terminal ever calls it.
import { createRequire } from 'node:module';

let real;
export function highlight(code, options) {
  real ??= createRequire(createRequire(import.meta.url).resolve('marked-terminal'))('cli-highlight');
  return real.highlight(code, options);
}
