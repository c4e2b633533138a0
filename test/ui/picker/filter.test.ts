import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSession } from '../../../src/sessions/index.js';
import { filterSessions, makeContentIndex, searchableText } from '../../../src/ui/picker/filter.js';
import { summary } from './fixtures.js';

const ids = (list: { id: string }[]) => list.map((s) => s.id);

const sessions = [
  summary('old-rust', 'Rust lifetimes', 300),
  summary('new-py', 'Python packaging', 5),
  summary('mid-rust', 'Borrow checker in RUST', 60),
  summary('talk', 'Weekend plans', 10),
];
const content: Record<string, string> = {
  'new-py': 'how do I publish a wheel? poetry or hatch',
  talk: 'we could hike; or write some rust at home',
  'old-rust': 'why does the borrow checker complain',
  'mid-rust': 'lifetimes again',
};
const contentOf = (id: string) => content[id] ?? null;

describe('filterSessions', () => {
  it('a blank query lists every session, newest first', () => {
    expect(ids(filterSessions(sessions, '   '))).toEqual(['new-py', 'talk', 'mid-rust', 'old-rust']);
  });

  it('matches titles case-insensitively, newest first', () => {
    expect(ids(filterSessions(sessions, 'rust'))).toEqual(['mid-rust', 'old-rust']);
    expect(ids(filterSessions(sessions, 'PYTHON'))).toEqual(['new-py']);
  });

  it('every word of the query must match, in any order', () => {
    expect(ids(filterSessions(sessions, 'checker rust'))).toEqual(['mid-rust']);
    expect(ids(filterSessions(sessions, 'rust python'))).toEqual([]);
  });

  it('searches the text only when given a content source', () => {
    expect(ids(filterSessions(sessions, 'wheel'))).toEqual([]);
    expect(ids(filterSessions(sessions, 'wheel', contentOf))).toEqual(['new-py']);
  });

  it('ranks title matches before text matches, each newest first', () => {
    // "rust" is in two titles (mid 60 min, old 300 min) and in the text of "talk" (10 min, newest).
    expect(ids(filterSessions(sessions, 'rust', contentOf))).toEqual(['mid-rust', 'old-rust', 'talk']);
  });

  it('words may be split between the title and the text', () => {
    // "rust" in the title, "complain" only in the text.
    expect(ids(filterSessions(sessions, 'rust complain', contentOf))).toEqual(['old-rust']);
  });

  it('asks for the text only of sessions whose title does not match', () => {
    const asked: string[] = [];
    filterSessions(sessions, 'rust', (id) => {
      asked.push(id);
      return contentOf(id);
    });
    expect(asked.sort()).toEqual(['new-py', 'talk']);
  });

  it('takes the query literally (no pattern characters)', () => {
    const odd = [summary('a', 'what is a.b*?', 1), summary('b', 'what is axbb', 2)];
    expect(ids(filterSessions(odd, 'a.b*?'))).toEqual(['a']);
  });
});

describe('searchableText', () => {
  it('drops JSON keys and decodes escapes', () => {
    const t = searchableText('{"k":"user","message":{"text":"say \\"hi\\"\\nthere \\u00e9"}}');
    expect(t).not.toContain('message');
    expect(t).toContain('say "hi"\nthere é');
  });
});

describe('makeContentIndex', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reads session files written by the store once, and finds their prompts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inkwell-picker-'));
    dirs.push(dir);
    const w = createSession(dir, { model: 'claude-sonnet-4-5', title: 'Zebra facts' });
    w.appendUser({ role: 'user', id: 'u1', text: 'Tell me about the "okapi", a striped cousin', createdAt: 1 });
    w.close();
    const other = createSession(dir, { model: 'claude-sonnet-4-5', title: 'Other' });
    other.appendUser({ role: 'user', id: 'u1', text: 'nothing to see', createdAt: 1 });
    other.close();

    const contentOf = makeContentIndex(dir);
    expect(contentOf(w.id)).toContain('"okapi", a striped cousin');
    const found = filterSessions([summary(w.id, 'Zebra facts', 1), summary(other.id, 'Other', 2)], 'OKAPI striped', contentOf);
    expect(ids(found)).toEqual([w.id]);

    // Cached: a file changed after the first read is not read again.
    fs.writeFileSync(path.join(dir, `${w.id}.jsonl`), '');
    expect(contentOf(w.id)).toContain('okapi');
    // Missing files and unsafe ids have no text.
    expect(contentOf('nope')).toBeNull();
    expect(contentOf('../etc/passwd')).toBeNull();
    // The size cap: only the first bytes are searched.
    const capped = makeContentIndex(dir, { maxBytes: 40 });
    expect(capped(other.id)!.length).toBeLessThanOrEqual(40);
    expect(capped(other.id)).not.toContain('nothing to see');
  });
});
