import { describe, expect, it } from 'vitest';
import { ActivityMeter, createClient, meterOf } from '../../src/api/client.js';

/** A fetch answering with `chunks` as the body, recording whether the body was cancelled. */
function chunkedFetch(chunks: Uint8Array[], seen: { cancelled: unknown }): typeof fetch {
  return async () => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else controller.close();
      },
      cancel(reason) {
        seen.cancelled = reason;
      },
    });
    return new Response(body, { status: 201, statusText: 'Made', headers: { 'x-test': 'kept' } });
  };
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('the activity meter under the SDK', () => {
  it('counts every byte of a body as it is read, and passes the body, status and headers through', async () => {
    const meter = new ActivityMeter();
    const chunks = [bytes('event: ping\n'), bytes('data: {"type": "ping"}\n\n'), bytes('é')];
    const res = await meter.wrap(chunkedFetch(chunks, { cancelled: null }))('http://x.invalid/');
    expect(res.status).toBe(201);
    expect(res.statusText).toBe('Made');
    expect(res.headers.get('x-test')).toBe('kept');
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('event: ping\n');
    // The meter moved with the chunk read (a stream read ahead by at most one more chunk).
    expect(meter.bytes).toBeGreaterThanOrEqual(12);
    expect(meter.bytes).toBeLessThanOrEqual(12 + 24);
    const rest: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(new TextDecoder().decode(r.value));
    expect(rest.join('')).toBe('data: {"type": "ping"}\n\né');
    expect(meter.bytes).toBe(12 + 24 + 2);
  });

  it('marks activity at each chunk, not only at the end', async () => {
    const meter = new ActivityMeter();
    const res = await meter.wrap(chunkedFetch([bytes('a'), bytes('b')], { cancelled: null }))('http://x.invalid/');
    meter.lastActivityAt = 0;
    const reader = res.body!.getReader();
    await reader.read();
    expect(meter.lastActivityAt).toBeGreaterThan(0);
  });

  it('cancels the real body when the reader gives up (an aborted reply stops reading the socket)', async () => {
    const seen = { cancelled: null as unknown };
    const res = await new ActivityMeter().wrap(chunkedFetch([bytes('a'), bytes('b'), bytes('c')], seen))('http://x.invalid/');
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel('stop');
    expect(seen.cancelled).toBe('stop');
  });

  it('passes a body-less response through untouched', async () => {
    const meter = new ActivityMeter();
    const res = await meter.wrap(async () => new Response(null, { status: 204 }))('http://x.invalid/');
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('createClient sends through the fetch it is given, metered', async () => {
    const urls: string[] = [];
    const inner: typeof fetch = async (input) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return new Response('{"data":[],"has_more":false,"first_id":null,"last_id":null}', {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = createClient({ apiKey: 'sk-test', authToken: null, baseURL: 'http://x.invalid' }, inner);
    await client.models.list();
    expect(urls).toEqual(['http://x.invalid/v1/models']);
    expect(meterOf(client)!.bytes).toBeGreaterThan(0);
  });
});
