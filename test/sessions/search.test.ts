import * as fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEARCH_INDEX_NAME, searchSessions } from '../../src/sessions/index.js';
import { openSessionForWriting } from '../../src/sessions/open.js';
import { makeSnippet, searchWords, wordMatcher } from '../../src/sessions/search-types.js';
import { tempDir } from './helpers.js';
import { prompt, textReply, writeSession } from './search-gen.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** Three sessions: an old one about pelicans, a newer one about pelicans and herons, one about cats. */
function seed(dir: string) {
  const old = writeSession(dir, [['Tell me about pelicans', 'Pelicans are large water birds with a throat pouch.']], T0);
  const newer = writeSession(
    dir,
    [
      ['What eats fish?', 'Herons and pelicans both eat fish; the grey heron waits very still.'],
      ['And in winter?', 'In winter herons move south.'],
    ],
    T0 + DAY,
  );
  const cats = writeSession(dir, [['Cats', 'Cats sleep for most of the day.']], T0 + 2 * DAY, 'Feline notes');
  return { old: old.id, newer: newer.id, cats: cats.id };
}

const engines = ['auto', 'scan'] as const;

describe.each(engines)('searchSessions (engine %s)', (engine) => {
  it('finds a word in replies, newest session first, with the newest matching message', () => {
    const dir = tempDir();
    const ids = seed(dir);
    const r = searchSessions(dir, 'pelican', { engine });
    expect(r.engine).toBe(engine === 'auto' ? 'index' : 'scan');
    expect(r.hits.map((h) => h.sessionId)).toEqual([ids.newer, ids.old]);
    expect(r.hits[0]).toMatchObject({ messageId: 'a0', role: 'assistant', title: 'What eats fish?' });
    // The old session matches in its prompt (the title too) and its reply: the reply is newer.
    expect(r.hits[1]).toMatchObject({ messageId: 'a0', matches: 3 });
  });

  it('needs every word in one text; case and accents are ignored; words match at their start', () => {
    const dir = tempDir();
    const ids = seed(dir);
    expect(searchSessions(dir, 'HERONS winter', { engine }).hits.map((h) => [h.sessionId, h.messageId])).toEqual([[ids.newer, 'a1']]);
    expect(searchSessions(dir, 'heron cats', { engine }).hits).toEqual([]);
    expect(searchSessions(dir, 'élican', { engine }).hits).toEqual([]);
    expect(searchSessions(dir, 'PÉLICANS', { engine }).hits).toHaveLength(2);
  });

  it('searches titles: a title match has no message', () => {
    const dir = tempDir();
    const ids = seed(dir);
    const r = searchSessions(dir, 'feline', { engine });
    expect(r.hits).toHaveLength(1);
    expect(r.hits[0]).toMatchObject({ sessionId: ids.cats, role: 'title', messageId: null, snippet: 'Feline notes', highlights: [[0, 6]] });
  });

  it('gives a snippet around the match with the words marked', () => {
    const dir = tempDir();
    seed(dir);
    const hit = searchSessions(dir, 'grey heron', { engine }).hits[0]!;
    expect(hit.snippet).toBe('Herons and pelicans both eat fish; the grey heron waits very still.');
    const marked = hit.highlights.map(([a, b]) => hit.snippet.slice(a, b));
    expect(marked).toEqual(['Heron', 'grey', 'heron']);
  });

  it('finds nothing for no match, no words, or no directory', () => {
    const dir = tempDir();
    seed(dir);
    expect(searchSessions(dir, 'zebra', { engine })).toMatchObject({ hits: [], total: 0 });
    expect(searchSessions(dir, '  ?? ', { engine }).hits).toEqual([]);
    expect(searchSessions(path.join(dir, 'missing'), 'zebra', { engine }).hits).toEqual([]);
  });

  it('a message taken back by /retry is not found; a rename is', () => {
    const dir = tempDir();
    const ids = seed(dir);
    const opened = openSessionForWriting(dir, ids.cats);
    opened.writer!.retract(['a0']);
    opened.writer!.rename('Sleepy animals');
    opened.writer!.close();
    expect(searchSessions(dir, 'sleep', { engine }).hits.map((h) => h.role)).toEqual(['title']);
    expect(searchSessions(dir, 'feline', { engine }).hits).toEqual([]);
  });

  it('the limit keeps the newest sessions and says how many match', () => {
    const dir = tempDir();
    seed(dir);
    const r = searchSessions(dir, 'pelicans', { engine, limit: 1 });
    expect(r.hits).toHaveLength(1);
    expect(r.total).toBe(2);
  });
});

describe('the search index', () => {
  const index = (dir: string) => path.join(dir, SEARCH_INDEX_NAME);

  it('is created private beside the sessions', () => {
    const dir = tempDir();
    seed(dir);
    searchSessions(dir, 'pelican');
    expect(fs.statSync(index(dir)).mode & 0o777).toBe(0o600);
  });

  it('reads only what was appended to a session since (a new message is found)', () => {
    const dir = tempDir();
    const ids = seed(dir);
    expect(searchSessions(dir, 'albatross').hits).toEqual([]);
    const before = fs.statSync(index(dir)).size;
    const opened = openSessionForWriting(dir, ids.old);
    const w = opened.writer!;
    w.appendUser(prompt('u9', 'And the albatross?', T0 + 5 * DAY));
    w.appendAssistant(textReply('a9', 'The albatross glides for hours.', T0 + 5 * DAY + 1));
    w.close();
    const r = searchSessions(dir, 'albatross');
    expect(r.engine).toBe('index');
    expect(r.hits.map((h) => [h.sessionId, h.messageId])).toEqual([[ids.old, 'a9']]);
    // The old session is now the newest.
    expect(searchSessions(dir, 'pelicans').hits[0]!.sessionId).toBe(ids.old);
    expect(fs.statSync(index(dir)).size).toBeGreaterThanOrEqual(before);
  });

  it('is rebuilt when deleted, and a deleted session leaves it', () => {
    const dir = tempDir();
    const ids = seed(dir);
    expect(searchSessions(dir, 'pelicans').hits).toHaveLength(2);
    fs.rmSync(index(dir));
    expect(searchSessions(dir, 'pelicans').hits).toHaveLength(2);
    fs.rmSync(path.join(dir, `${ids.old}.jsonl`));
    expect(searchSessions(dir, 'pelicans').hits.map((h) => h.sessionId)).toEqual([ids.newer]);
  });

  it('is rebuilt silently when corrupt (the sessions untouched)', () => {
    const dir = tempDir();
    const ids = seed(dir);
    searchSessions(dir, 'pelicans');
    const session = fs.readFileSync(path.join(dir, `${ids.old}.jsonl`));
    fs.writeFileSync(index(dir), 'this is not a database'.repeat(100));
    const r = searchSessions(dir, 'pelicans');
    expect(r).toMatchObject({ engine: 'index', total: 2 });
    expect(fs.readFileSync(path.join(dir, `${ids.old}.jsonl`))).toEqual(session);
    // Damage inside a valid database file (its pages overwritten past the header) too.
    const bytes = fs.readFileSync(index(dir));
    bytes.fill(0x55, 100);
    fs.writeFileSync(index(dir), bytes);
    expect(searchSessions(dir, 'herons')).toMatchObject({ engine: 'index', total: 1 });
  });

  it('a file replaced by a shorter one is read again from its start', () => {
    const dir = tempDir();
    const ids = seed(dir);
    searchSessions(dir, 'pelicans');
    const file = path.join(dir, `${ids.newer}.jsonl`);
    const first = fs.readFileSync(file, 'utf8').split('\n').slice(0, 3).join('\n') + '\n';
    fs.writeFileSync(file, first);
    expect(searchSessions(dir, 'winter').hits).toEqual([]);
    expect(searchSessions(dir, 'heron').hits.map((h) => h.sessionId)).toEqual([ids.newer]);
  });
});

describe('snippets', () => {
  it('cut long text around the first match, with ellipses, and mark every word', () => {
    const text = `${'lorem ipsum '.repeat(20)}the needle is here ${'dolor sit '.repeat(20)}`;
    const m = wordMatcher(searchWords('needle'));
    const s = makeSnippet(text, m);
    expect(s.snippet.startsWith('…')).toBe(true);
    expect(s.snippet.endsWith('…')).toBe(true);
    expect(s.snippet.length).toBeLessThanOrEqual(102);
    expect(s.highlights.map(([a, b]) => s.snippet.slice(a, b))).toEqual(['needle']);
  });

  it('are one line', () => {
    const s = makeSnippet('first line\n\nsecond\tline with word', wordMatcher(['word']));
    expect(s.snippet).toBe('first line second line with word');
  });
});
