// Seeding a saved session so the app can be measured with a long conversation already loaded.
//
// What the bench needs from the app (and checks for):
// 1. a way to start with a saved session: `inkwell --continue` (resume the latest session of
//    `$INKWELL_HOME/data/sessions/`). It is detected from `--help`; BENCH_RESUME_ARGS (e.g.
//    "-c" or "--resume ID") overrides the detection.
// 2. the session file format of src/sessions/schema.ts (JSONL, one record per line: a `session`
//    header, then `user` and `assistant` records). seedSession writes that format directly and,
//    when src/sessions bundles, validates its records with the app's own `recordSchema`.
// After start-up the bench waits for the seeded conversation's last line on screen, so a resume
// that silently loads nothing is reported as an error, never measured as an empty session.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The last line of every seeded conversation: the bench waits for it on screen. */
export const seedEndText = (n) => `End of the seeded conversation of ${n} messages.`;

/**
 * Whether the built app can resume a session, and how.
 * @param cli path of dist/cli.js
 * @param sessionLib the bundled session schema (or null when src/sessions did not bundle)
 * @returns { available, args, reason }
 */
export function sessionSupport(cli, sessionLib) {
  const override = process.env.BENCH_RESUME_ARGS;
  if (override) return { available: true, args: override.split(/\s+/).filter(Boolean), reason: 'BENCH_RESUME_ARGS' };
  let help = '';
  try {
    help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 20_000 });
  } catch (err) {
    help = String(err.stdout ?? '');
  }
  if (/--continue\b/.test(help))
    return {
      available: true,
      args: ['--continue'],
      reason: sessionLib ? 'inkwell --continue' : 'inkwell --continue (schema not bundled: records not validated)',
    };
  return { available: false, args: [], reason: 'sessions not available: `inkwell --help` has no --continue' };
}

/**
 * Write a saved session of `messageCount` messages (alternating user and assistant, oldest
 * first, about a third of the replies with code, tables and lists) as the latest session in
 * `<home>/data/sessions/`.
 * @param home the INKWELL_HOME of the run
 * @param messageCount messages in the conversation (rounded up to an even number)
 * @param lib the bundled server library (for generateMarkdownDocument)
 * @param sessionLib the bundled session schema, or null (then records are not validated)
 * @returns { file, id, bytes, messages, endText }
 * @throws Error when a record does not match the app's schema
 */
export function seedSession(home, messageCount, lib, sessionLib) {
  const dir = path.join(home, 'data', 'sessions');
  mkdirSync(dir, { recursive: true });
  const alphabet = sessionLib?.SESSION_ID_ALPHABET ?? '23456789abcdefghjkmnpqrstuvwxyz';
  const idLength = sessionLib?.SESSION_ID_LENGTH ?? 8;
  let id = '';
  for (let i = 0; i < idLength; i++) id += alphabet[(i * 7 + messageCount) % alphabet.length];
  const v = sessionLib?.FORMAT_VERSION ?? 1;
  const model = 'claude-opus-4-6';
  const start = Date.now() - messageCount * 60_000;
  const records = [
    { v, k: 'session', id, at: start, created: new Date(start).toISOString(), model, system: null, title: `bench seed ${messageCount}` },
  ];
  const pairs = Math.max(1, Math.ceil(messageCount / 2));
  // A few distinct replies, reused: realistic sizes without generating thousands of documents.
  const replies = Array.from({ length: 16 }, (_, i) => lib.generateMarkdownDocument(i % 3 === 0 ? 400 : 80, 1000 + i));
  for (let i = 0; i < pairs; i++) {
    const at = start + i * 60_000;
    const userText = `Question ${i + 1}: how does the ${['stream', 'parser', 'viewport', 'cache'][i % 4]} handle case ${i + 1}?`;
    records.push({ v, k: 'user', id: `u${i}`, at, message: { role: 'user', id: `u${i}`, text: userText, createdAt: at } });
    let text = `Answer ${i + 1}.\n\n${replies[i % replies.length]}`;
    if (i === pairs - 1) text += `\n${seedEndText(pairs * 2)}\n`;
    const message = {
      role: 'assistant',
      id: `a${i}`,
      model,
      content: [{ type: 'text', text, citations: [] }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      stop_details: null,
      usage: { input_tokens: 100 + i * 50, output_tokens: 77, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      usageFinal: true,
      status: 'complete',
      interruption: null,
      requestId: null,
      apiId: null,
      startedAt: at + 1000,
      firstTokenAt: at + 1500,
      endedAt: at + 9000,
    };
    records.push({ v, k: 'assistant', id: `a${i}`, at: at + 9000, message });
  }
  if (sessionLib?.recordSchema) {
    for (const r of records.slice(0, 3)) {
      const checked = sessionLib.recordSchema.safeParse(r);
      if (!checked.success)
        throw new Error(`seeded ${r.k} record does not match src/sessions/schema.ts: ${checked.error.message.slice(0, 300)}`);
    }
  }
  const body = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const file = path.join(dir, `${id}${sessionLib?.SESSION_EXT ?? '.jsonl'}`);
  writeFileSync(file, body, { mode: 0o600 });
  return { file, id, bytes: Buffer.byteLength(body), messages: pairs * 2, endText: seedEndText(pairs * 2) };
}
