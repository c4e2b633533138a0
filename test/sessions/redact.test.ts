import { describe, expect, it } from 'vitest';
import { encodeRecord, readHeadAt } from '../../src/sessions/codec.js';
import { createRedactor, NO_SECRETS, REDACTED } from '../../src/sessions/redact.js';
import { FORMAT_VERSION, type SessionRecord } from '../../src/sessions/schema.js';

const KEY = 'sk-ant-api03-"quoted\\and\nnewline"-0123456789';

describe('session lines go through the one redactor', () => {
  it('a record line holds no secret, stays one valid JSON line and keeps its leading fields in order', () => {
    const record: SessionRecord = { v: FORMAT_VERSION, k: 'title', at: 1, title: `key ${KEY} here` };
    const line = encodeRecord(record, createRedactor([KEY]));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(line).not.toContain(JSON.stringify(KEY).slice(1, -1));
    expect(line).not.toContain('0123456789');
    expect(JSON.parse(line)).toEqual({ v: FORMAT_VERSION, k: 'title', at: 1, title: `key ${REDACTED} here` });
    expect(readHeadAt(Buffer.from(line), 0, Buffer.byteLength(line))).toMatchObject({ v: FORMAT_VERSION, k: 'title' });
  });

  it('with no secrets a line is plain JSON (and a key-shaped word in the conversation is kept)', () => {
    const record: SessionRecord = { v: FORMAT_VERSION, k: 'title', at: 1, title: 'keys look like sk-ant-xxxx' };
    expect(encodeRecord(record, NO_SECRETS)).toBe(`${JSON.stringify(record)}\n`);
  });
});
