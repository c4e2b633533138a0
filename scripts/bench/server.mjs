// The local Messages API server (src/server, bundled by bundle.mjs) running inside the bench
// process, with the send time of every byte of each /v1/messages answer recorded: the server's
// own writes go through ServerResponse.prototype.write, which is wrapped here to note
// (time, body offset) after each chunk is handed to the socket.
import http from 'node:http';

let active = null;

function isMessagesPost(res) {
  const req = res.req;
  return req !== undefined && req.method === 'POST' && typeof req.url === 'string' && /^\/v1\/messages\/?(\?|$)/.test(req.url);
}

let installed = false;
function installWriteHook() {
  if (installed) return;
  installed = true;
  const proto = http.ServerResponse.prototype;
  const write = proto.write;
  proto.write = function benchWrite(chunk, encoding, cb) {
    const ok = write.call(this, chunk, encoding, cb);
    const cap = active;
    if (cap && isMessagesPost(this) && (cap.res === null || cap.res === this)) {
      if (cap.res === null) {
        cap.res = this;
        cap.firstWriteAt = performance.now();
        this.once('finish', () => (cap.endedAt = performance.now()));
        this.once('close', () => (cap.closedAt = performance.now()));
      }
      const n = typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? encoding : 'utf8') : chunk.length;
      cap.offset += n;
      cap.writes.push(performance.now(), cap.offset);
    }
    return ok;
  };
}

/**
 * Start the server in this process.
 * @param lib the bundled server library (dist/bench/server-lib.js)
 */
export async function startBenchServer(lib) {
  installWriteHook();
  const server = await lib.startMessagesServer({
    defaultScenario: { kind: 'http', status: 503, body: '{"type":"error","error":{"type":"api_error","message":"bench: no scenario"}}' },
  });
  return {
    url: server.url,
    server,
    /**
     * Answer the next POST /v1/messages with `scenario` and record its writes.
     * @returns the capture: `writes` is a flat [t0, endOffset0, t1, endOffset1, …] list,
     *   `endedAt` is set when the response finished.
     */
    capture(scenario) {
      server.setDefault(scenario);
      active = { res: null, offset: 0, writes: [], firstWriteAt: null, endedAt: null, closedAt: null };
      return active;
    },
    release() {
      active = null;
    },
    close: () => server.close(),
  };
}

/**
 * When the byte just before `endOffset` was handed to the socket (ms, performance.now()).
 * @returns null if it was never written
 */
export function sentAt(capture, endOffset) {
  const w = capture.writes;
  // Binary search over the (t, offset) pairs for the first offset >= endOffset.
  let lo = 0;
  let hi = w.length / 2 - 1;
  if (hi < 0 || w[hi * 2 + 1] < endOffset) return null;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (w[mid * 2 + 1] >= endOffset) hi = mid;
    else lo = mid + 1;
  }
  return w[lo * 2];
}
