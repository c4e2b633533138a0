import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
const mode = process.argv[2];
const lines = readFileSync('/tmp/h10k/data/sessions/mu3ahry7.jsonl', 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l));
const messages = lines.map((r) => r.k === 'user' ? { role: 'user', content: r.message.text } : { role: 'assistant', content: [{ type: 'text', text: r.message.content[0].text }] });
messages.push({ role: 'user', content: 'next' });
if (process.argv[3] === 'one') messages.splice(0, messages.length - 1);
lines.length = 0;
global.gc?.(); global.gc?.(); await new Promise((r) => setTimeout(r, 100)); global.gc?.();
const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const rss = () => process.memoryUsage().rss / 1048576;
console.log('before', rss().toFixed(1), 'hwm', hwm().toFixed(1));
const client = new Anthropic({ apiKey: 'x', baseURL: 'http://127.0.0.1:7792', maxRetries: 0 });
const params = { model: 'claude-opus-4-6', max_tokens: 8192, messages };
let options = {};
if (mode === 'stream') {
  const enc = new TextEncoder();
  const head = JSON.stringify({ model: params.model, max_tokens: params.max_tokens, stream: true }).slice(0, -1) + ',"messages":[';
  let i = -1;
  const body = new ReadableStream({
    pull(c) {
      if (i === -1) c.enqueue(enc.encode(head));
      else if (i < messages.length) {
        let s = '';
        for (let n = 0; n < 64 && i < messages.length; n++, i++) s += (i > 0 ? ',' : '') + JSON.stringify(messages[i]);
        i--; c.enqueue(enc.encode(s));
      } else { c.enqueue(enc.encode(']}')); c.close(); }
      i++;
    },
  });
  options = { body };
}
let peak = null;
const mu0 = process.memoryUsage();
console.log('  at start heapUsed', (mu0.heapUsed/1048576).toFixed(1), 'heapTotal', (mu0.heapTotal/1048576).toFixed(1), 'ext', (mu0.external/1048576).toFixed(1), 'ab', (mu0.arrayBuffers/1048576).toFixed(1));
const timer = setInterval(() => { const m = process.memoryUsage(); if (!peak || m.rss > peak.rss) peak = m; }, 2);
const stream = client.messages.stream(params, options);
let n = 0;
stream.on('streamEvent', () => n++);
await stream.done();
clearInterval(timer); const f = (x) => (x/1048576).toFixed(1); console.log('  at peak rss', f(peak.rss), 'heapUsed', f(peak.heapUsed), 'heapTotal', f(peak.heapTotal), 'ext', f(peak.external), 'ab', f(peak.arrayBuffers));
console.log('events', n, 'after', rss().toFixed(1), 'hwm', hwm().toFixed(1));
