import { describe, expect, it } from 'vitest';
import { completeInput } from '../../src/ui/commands/registry.js';

describe('completeInput: the completion menu', () => {
  it('completes command names for a bare "/word", with the argument hint and summary', () => {
    const rows = completeInput('/expo');
    expect(rows.map((r) => r.insert)).toEqual(['/export ']);
    expect(rows[0]!.label).toBe('/export');
    expect(rows[0]!.detail).toMatch(/^ \[file\] — export/);
    expect(completeInput('/new').map((r) => r.insert)).toEqual(['/new']);
  });

  it('completes preset names after "/preset ", sorted, with a one-line preview of the prompt', () => {
    const presets = { reviewer: 'You review\ncode tersely.', researcher: 'x'.repeat(200), poet: 'Rhymes.' };
    expect(completeInput('/preset re', presets).map((r) => r.insert)).toEqual(['/preset researcher', '/preset reviewer']);
    const [, reviewer] = completeInput('/preset re', presets);
    expect(reviewer!.detail).toBe(' — You review code tersely.');
    expect(completeInput('/preset res', presets)[0]!.detail.length).toBeLessThan(70);
    expect(completeInput('/preset ', presets).map((r) => r.label)).toEqual(['poet', 'researcher', 'reviewer']);
    // A name typed in full needs no menu; no preset, no menu.
    expect(completeInput('/preset poet', presets)).toEqual([]);
    expect(completeInput('/preset x', {})).toEqual([]);
  });

  it('never puts control characters from the settings on the screen', () => {
    const [row] = completeInput('/preset e', { 'e\x1b[2Jvil': 'a\x1b]0;title\x07b' });
    expect(row!.label + row!.detail).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });
});
