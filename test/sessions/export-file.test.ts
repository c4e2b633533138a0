import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveExportPath, writeExportFile } from '../../src/sessions/export-file.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'inkwell-exportfile-'));

describe('resolveExportPath', () => {
  it('expands ~ to the home folder and resolves relative names against the working directory', () => {
    expect(resolveExportPath('~/x.md', '/work/here', '/home/ann')).toBe('/home/ann/x.md');
    expect(resolveExportPath('~', '/work/here', '/home/ann')).toBe('/home/ann');
    expect(resolveExportPath('notes/x.md', '/work/here', '/home/ann')).toBe('/work/here/notes/x.md');
    expect(resolveExportPath('../x.md', '/work/here', '/home/ann')).toBe('/work/x.md');
    expect(resolveExportPath('/abs/x.md', '/work/here', '/home/ann')).toBe('/abs/x.md');
    expect(resolveExportPath(' "my notes.md" ', '/w', '/h')).toBe('/w/my notes.md');
    expect(resolveExportPath('~bob/x.md', '/w', '/h')).toBe('/w/~bob/x.md');
  });
});

describe('writeExportFile', () => {
  it('creates a new file, private (0600), and says where', () => {
    const f = path.join(dir(), 'a.md');
    expect(writeExportFile(f, 'hello\n')).toEqual({ ok: true, path: f, replaced: false });
    expect(readFileSync(f, 'utf8')).toBe('hello\n');
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('refuses an existing file without force, leaving it as it was; replaces it with force', () => {
    const f = path.join(dir(), 'a.md');
    writeFileSync(f, 'precious');
    const r = writeExportFile(f, 'new');
    expect(r).toMatchObject({ ok: false, exists: true });
    expect(readFileSync(f, 'utf8')).toBe('precious');
    expect(writeExportFile(f, 'new', { force: true })).toEqual({ ok: true, path: f, replaced: true });
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('never writes through a symlink: refused without force, the link itself replaced with force', () => {
    const d = dir();
    const victim = path.join(d, 'victim.txt');
    writeFileSync(victim, 'do not touch');
    const link = path.join(d, 'out.md');
    symlinkSync(victim, link);
    expect(writeExportFile(link, 'export')).toMatchObject({ ok: false, exists: true });
    expect(readFileSync(victim, 'utf8')).toBe('do not touch');
    expect(writeExportFile(link, 'export', { force: true })).toMatchObject({ ok: true, replaced: true });
    expect(readFileSync(victim, 'utf8')).toBe('do not touch');
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, 'utf8')).toBe('export');
  });

  it('a dangling symlink at the name is not followed to create its target', () => {
    const d = dir();
    const target = path.join(d, 'created-elsewhere.txt');
    const link = path.join(d, 'out.md');
    symlinkSync(target, link);
    expect(writeExportFile(link, 'export')).toMatchObject({ ok: false, exists: true });
    expect(existsSync(target)).toBe(false);
    expect(readlinkSync(link)).toBe(target);
  });

  it('a missing folder or a folder at the name is a plain refusal; nothing is created', () => {
    const d = dir();
    const r = writeExportFile(path.join(d, 'nope', 'x.md'), 'x');
    expect(r).toMatchObject({ ok: false, exists: false });
    expect(!r.ok && r.reason).toContain('does not exist');
    expect(existsSync(path.join(d, 'nope'))).toBe(false);
    mkdirSync(path.join(d, 'sub'));
    expect(writeExportFile(path.join(d, 'sub'), 'x', { force: true })).toMatchObject({ ok: false, exists: false });
  });
});

describe('/export arguments', () => {
  it('take --force (or -f) before or after the file name', async () => {
    const { parseExportArg } = await import('../../src/ui/commands/session.js');
    expect(parseExportArg('')).toEqual({ file: null, force: false });
    expect(parseExportArg('~/x.md')).toEqual({ file: '~/x.md', force: false });
    expect(parseExportArg('~/x.md --force')).toEqual({ file: '~/x.md', force: true });
    expect(parseExportArg('-f notes.json')).toEqual({ file: 'notes.json', force: true });
    expect(parseExportArg('--force')).toEqual({ file: null, force: true });
    expect(parseExportArg('my--forceful.md')).toEqual({ file: 'my--forceful.md', force: false });
  });
});
