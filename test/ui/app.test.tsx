import { messagesApi } from '../../src/api/port.js';
import Anthropic from '@anthropic-ai/sdk';
import { render } from 'ink-testing-library';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTextBlock } from '../../src/domain/wire.js';
import { ChatEngine } from '../../src/chat/engine.js';
import { startMessagesServer } from '../../src/server/index.js';
import { plainTheme } from '../../src/theme.js';
import { App } from '../../src/ui/App.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const mounted: Array<{ unmount: () => void }> = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

function setup(model = 'claude-sonnet-4-6') {
  const client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
  const engine = new ChatEngine({ api: messagesApi(client), model, maxTokens: 4096, system: null });
  const ui = render(<App engine={engine} theme={plainTheme} />);
  mounted.push(ui);
  return { engine, ui };
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const frame = (ui: ReturnType<typeof render>) => ui.lastFrame() ?? '';
const sse = (name: string, extra: object = {}) => ({ kind: 'sse' as const, path: path.join(FIXTURES, name), ...extra });

describe('<App>', () => {
  it('typing a prompt and pressing Enter shows it and streams the rendered reply', async () => {
    const { ui, engine } = setup();
    server.enqueue(sse('02-text-medium-markdown-list-sonnet45.sse'));
    ui.stdin.write('describe it');
    await until(() => frame(ui).includes('describe it'));
    ui.stdin.write('\r');
    // A full-speed stream rendered by React frame by frame: slow on a loaded machine.
    await until(() => engine.getState().phase === 'idle' && engine.getState().messages.length === 2, 25_000);
    await until(() => frame(ui).includes('last in'));
    const f = frame(ui);
    expect(f).toContain('› describe it');
    expect(f).not.toContain('**'); // bold markers were rendered, not shown
    expect(f).toMatch(/claude-sonnet-4-6/);
  });

  it('Esc stops a streaming reply and the transcript says it was interrupted', async () => {
    const { ui, engine } = setup();
    server.enqueue(sse('03-text-long-markdown-compaction-opus46.sse', { tokensPerSecond: 100 }));
    ui.stdin.write('go');
    await until(() => frame(ui).includes('go'));
    ui.stdin.write('\r');
    await until(() => engine.getState().phase === 'streaming');
    await until(() =>
      engine.getState().messages.some((m) => m.role === 'assistant' && m.content.some((b) => isTextBlock(b) && b.text.length > 20)),
    );
    ui.stdin.write('\x1b');
    await until(() => frame(ui).includes('Interrupted: you pressed Esc'));
    expect(engine.getState().phase).toBe('idle');
  });

  it('a reply cut at max_tokens shows the warning under the reply and in the status bar', async () => {
    const { ui } = setup();
    server.enqueue(sse('04-max-tokens-cache-write-sonnet46.sse'));
    ui.stdin.write('hi');
    await until(() => frame(ui).includes('hi'));
    ui.stdin.write('\r');
    await until(() => frame(ui).includes('⚠ stopped at max_tokens'));
    expect(frame(ui)).toContain('Stopped at max_tokens');
    expect(frame(ui)).toContain('cache w18.6k r0');
  });

  it('Tab expands and collapses thinking', async () => {
    const { ui } = setup();
    server.enqueue(sse('06-thinking-budget-sonnet45.sse'));
    ui.stdin.write('think');
    await until(() => frame(ui).includes('think'));
    ui.stdin.write('\r');
    await until(() => frame(ui).includes('✻ Thought'));
    const collapsed = frame(ui)
      .split('\n')
      .filter((l) => l.includes('✻')).length;
    expect(collapsed).toBe(1);
    const before = frame(ui);
    expect(before).toContain('Tab expands');
    ui.stdin.write('\t');
    await until(() => frame(ui) !== before);
    expect(frame(ui)).not.toContain('Tab expands');
  });

  it('Ctrl+C when idle asks for a second press before quitting', async () => {
    const { ui } = setup();
    await until(() => frame(ui).includes('Ask Claude'));
    ui.stdin.write('\x03');
    await until(() => frame(ui).includes('Press Ctrl+C again to quit'));
  });
});

describe('<App> slash-command completion', () => {
  it('typing "/re" lists the matching commands; Tab completes the highlighted one', async () => {
    const { ui } = setup();
    ui.stdin.write('/re');
    await until(() => frame(ui).includes('/rename'));
    const f = frame(ui);
    expect(f).toContain('▸ /resume');
    expect(f).toContain('/retry');
    expect(f).not.toContain('/export');
    ui.stdin.write('\u001B[B'); // ↓ moves the highlight
    await until(() => frame(ui).includes('▸ /rename'));
    ui.stdin.write('\t');
    await until(() => frame(ui).includes('› /rename'));
    expect(frame(ui)).not.toContain('▸');
  });
});

describe('<App> with a Screen', () => {
  it('renders in React when a reply starts and ends, never while it streams (its first frame waits for no render)', async () => {
    const { Profiler } = await import('react');
    const { Screen } = await import('../../src/terminal/screen.js');
    const client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
    const engine = new ChatEngine({ api: messagesApi(client), model: 'claude-sonnet-4-6', maxTokens: 4096, system: null });
    const painted: string[] = [];
    const screen = new Screen({ write: (chunk: string) => void painted.push(chunk) }, { columns: 100, rows: 30 });
    screen.start({ mouse: false });
    // The phase and the streamed text length at every React commit of the app.
    const commits: { phase: string; text: number }[] = [];
    const streamedText = () => {
      const last = engine.getState().messages.at(-1);
      return last?.role === 'assistant' ? last.content.reduce((n, b) => n + (isTextBlock(b) ? b.text.length : 0), 0) : 0;
    };
    const ui = render(
      <Profiler id="app" onRender={() => commits.push({ phase: engine.getState().phase, text: streamedText() })}>
        <App engine={engine} theme={plainTheme} screen={screen} />
      </Profiler>,
    );
    mounted.push(ui);
    server.enqueue(sse('02-text-medium-markdown-list-sonnet45.sse', { tokensPerSecond: 200 }));
    ui.stdin.write('describe it');
    await until(() => frame(ui).includes('describe it'));
    const before = commits.length;
    ui.stdin.write('\r');
    await until(() => engine.getState().phase === 'idle' && engine.getState().messages.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    const during = commits.slice(before);
    // The reply was painted, frame by frame, by the Screen.
    expect(painted.join('')).toContain('describe it');
    expect(streamedText()).toBeGreaterThan(100);
    // React: the prompt cleared and the busy placeholder, then the idle one; no commit while
    // text was arriving (the streaming phase, between the first text and the end).
    expect(during.some((c) => c.phase !== 'idle')).toBe(true);
    expect(during.at(-1)!.phase).toBe('idle');
    expect(during.filter((c) => c.phase === 'streaming')).toEqual([]);
  });
});
