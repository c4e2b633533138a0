// The floor: the least a streaming client can do. It sends the same request through the SDK
// (`messages.stream`) and writes each text delta to stdout as it arrives, nothing else: no
// markdown, no layout, no status bar. The bench runs it in the same pseudo-terminal as the app,
// so every figure of the app is also read as a ratio to this one.
//
//   node dist/bench/floor.js --base-url URL --model ID
//
// Protocol with the bench (invisible on screen, outside the measured reply):
// - when ready to send, it writes an OSC title sequence `ESC ] 0 ; floor-ready BEL`;
// - the first key pressed (the bench sends Enter) sends the request;
// - after the stream ends it writes `ESC ] 0 ; floor-done BEL` and waits to be killed.
import Anthropic from '@anthropic-ai/sdk';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const baseURL = flag('--base-url', process.env.ANTHROPIC_BASE_URL);
const model = flag('--model', 'claude-opus-4-6');
const maxTokens = Number(flag('--max-tokens', '8192'));

const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY ?? 'floor', baseURL });
const out = process.stdout;

async function go() {
  const stream = client.messages.stream({
    model,
    max_tokens: maxTokens,
    messages: [{ role: 'user', content: 'Summarise the notes.' }],
  });
  stream.on('text', (delta) => out.write(delta));
  try {
    await stream.finalMessage();
  } catch (err) {
    out.write(`\nfloor: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  out.write('\x1b]0;floor-done\x07');
  // Stay alive (idle) so the bench can read this process's CPU time and peak RSS.
  setInterval(() => {}, 1 << 30);
}

if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.stdin.once('data', () => {
  process.stdin.pause();
  void go();
});
out.write('\x1b]0;floor-ready\x07');
