import type xterm from '@xterm/headless';

/** The hyperlink (OSC 8) on a cell of a headless xterm, read from its internals (no public API), or null. */
export function linkAt(term: xterm.Terminal, x: number, y: number): { id: string | undefined; uri: string } | null {
  const cell = term.buffer.active.getLine(y)?.getCell(x) as unknown as { extended?: { urlId?: number } } | undefined;
  const urlId = cell?.extended?.urlId ?? 0;
  if (urlId === 0) return null;
  const svc = (term as unknown as { _core: { _oscLinkService: { getLinkData(id: number): { id?: string; uri: string } | undefined } } })
    ._core._oscLinkService;
  const data = svc.getLinkData(urlId);
  return data ? { id: data.id, uri: data.uri } : null;
}

/** Every distinct link on the visible screen: uri → the rows it covers. */
export function linksOnScreen(term: xterm.Terminal): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (let y = 0; y < term.rows; y++) {
    for (let x = 0; x < term.cols; x++) {
      const l = linkAt(term, x, y);
      if (!l) continue;
      if (!out.has(l.uri)) out.set(l.uri, new Set());
      out.get(l.uri)!.add(y);
    }
  }
  return out;
}
