import { createClient } from '../api/client.js';
import { sseForText } from '../server/generate.js';
import { ChatEngine } from './engine.js';

/** Bytes per chunk of the warm-up's response body: the local server's default write size. */
const CHUNK_BYTES = 37;

/** The model named in the warm-up's request and reply (never sent anywhere). */
const WARM_UP_MODEL = 'inkwell-warm-up';

/**
 * A fetch that answers every request with `sse` (status 200, `text/event-stream`), its body cut
 * into {@link CHUNK_BYTES}-byte chunks, a macrotask between chunks. Nothing touches the network.
 * @param sse the SSE body, wire-exact (server/generate.ts `sseForText`)
 * @param requests every request's URL is pushed here (tests)
 */
export function replayFetch(sse: string, requests: string[] = []): typeof fetch {
  const bytes = new TextEncoder().encode(sse);
  return async (input) => {
    requests.push(input instanceof Request ? input.url : String(input));
    let pos = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // One macrotask per chunk, as from a socket: a key pressed meanwhile is not kept waiting.
        await new Promise<void>((resolve) => setImmediate(resolve));
        controller.enqueue(bytes.slice(pos, pos + CHUNK_BYTES));
        pos += CHUNK_BYTES;
        if (pos >= bytes.length) controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'request-id': 'req_warm_up' } });
  };
}

/**
 * Runs one whole turn through the path a real reply takes (SDK request and `MessageStream`, the
 * activity meter, `streamTurn`, the engine's frames and the conversation reducer) against
 * {@link replayFetch}, so V8 has compiled it before the first reply. The first reply's first
 * frames otherwise waited for it: at the server's full speed the SDK's stream parsing ran
 * unoptimised through the first hundreds of events.
 * @param text the reply to replay (markdown; its lines are never shown)
 * @returns the reply's text as the engine assembled it, or null when the turn did not complete
 * @throws never
 */
export async function warmUpTurn(text: string): Promise<string | null> {
  try {
    const sse = sseForText(text, { model: WARM_UP_MODEL });
    const client = createClient({ apiKey: 'warm-up', authToken: null, baseURL: 'http://warm-up.invalid' }, replayFetch(sse));
    const engine = new ChatEngine({ client, model: WARM_UP_MODEL, maxTokens: 4096, system: null, idleTimeoutMs: 0, maxRetries: 0 });
    if (!engine.send('warm up')) return null;
    const outcome = await engine.settled();
    const reply = engine.getState().messages.at(-1);
    if (!outcome?.ok || reply?.role !== 'assistant') return null;
    return reply.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  } catch {
    return null;
  }
}
