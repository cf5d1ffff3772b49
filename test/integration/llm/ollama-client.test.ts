import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  LlmCallError,
  LlmClient,
} from '../../../src/shared/llm/ollama-client.js';
import { MODEL_OUTPUT_JSON_SCHEMA } from '../../../src/shared/llm/model-output.js';
import { refusedUrl, startFakeOllama, type FakeOllama } from '../../support/fake-ollama.server.js';

const MESSAGES = [{ role: 'user' as const, content: 'how many orders?' }];

function client(
  host: string,
  over: Partial<ConstructorParameters<typeof LlmClient>[0]> = {},
): LlmClient {
  return new LlmClient({
    host,
    model: 'fake-model:7b',
    timeoutMs: 2_000,
    breakerFailures: 5,
    halfOpenAfterMs: 60_000,
    ...over,
  });
}

describe('LlmClient against an Ollama-compatible server (real HTTP, real ollama client)', () => {
  let ollama: FakeOllama;
  beforeAll(async () => {
    ollama = await startFakeOllama();
  });
  beforeEach(() => ollama.reset());
  afterAll(async () => ollama?.close());

  it('sends the model, the messages and the JSON schema as format, and returns the content', async () => {
    ollama.script({ json: { collection: 'order', pipeline: [{ $count: 'n' }] } });
    const res = await client(ollama.url).chat(MESSAGES, MODEL_OUTPUT_JSON_SCHEMA);
    expect(JSON.parse(res.content)).toEqual({ collection: 'order', pipeline: [{ $count: 'n' }] });
    expect(ollama.requests).toHaveLength(1);
    const sent = ollama.requests[0]!;
    expect(sent.path).toBe('/api/chat');
    expect(sent.body).toMatchObject({ model: 'fake-model:7b', stream: false, messages: MESSAGES });
    expect(sent.body.format).toMatchObject({
      type: 'object',
      required: ['collection', 'pipeline'],
    });
  });

  it('gives up on a slow model after the timeout, with a timeout error', async () => {
    ollama.script({ json: {}, delayMs: 2_000 });
    const started = Date.now();
    const err = await client(ollama.url, { timeoutMs: 200 })
      .chat(MESSAGES, {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmCallError);
    expect((err as LlmCallError).kind).toBe('timeout');
    expect((err as LlmCallError).retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('reports a 500 as a retryable LLM_FAILED with the server status', async () => {
    ollama.script({ status: 500, error: 'CUDA out of memory' });
    const err = (await client(ollama.url)
      .chat(MESSAGES, {})
      .catch((e: unknown) => e)) as LlmCallError;
    expect(err).toBeInstanceOf(LlmCallError);
    expect(err).toMatchObject({ kind: 'http', code: 'LLM_FAILED', retryable: true });
    expect(err.message).toMatch(/500.*CUDA out of memory/);
  });

  it('reports a refused connection as LLM_UNAVAILABLE', async () => {
    const err = (await client(await refusedUrl())
      .chat(MESSAGES, {})
      .catch((e: unknown) => e)) as LlmCallError;
    expect(err).toMatchObject({ kind: 'connection', code: 'LLM_UNAVAILABLE', retryable: true });
  });

  it('opens the circuit after 5 consecutive failures, then refuses without calling', async () => {
    ollama.setDefault({ status: 503, error: 'overloaded' });
    const c = client(ollama.url);
    for (let i = 0; i < 5; i++) {
      await expect(c.chat(MESSAGES, {})).rejects.toBeInstanceOf(LlmCallError);
    }
    expect(c.isOpen).toBe(true);
    await expect(c.chat(MESSAGES, {})).rejects.toBeInstanceOf(CircuitOpenError);
    expect(ollama.requests).toHaveLength(5);
  });

  it('a success in between resets the count: failures must be consecutive', async () => {
    const c = client(ollama.url);
    ollama.script(
      ...Array.from({ length: 4 }, () => ({ status: 500 })),
      { json: {} },
      ...Array.from({ length: 4 }, () => ({ status: 500 })),
    );
    for (let i = 0; i < 9; i++) await c.chat(MESSAGES, {}).catch(() => undefined);
    expect(c.isOpen).toBe(false);
  });

  it('half-opens after the wait and closes again on a successful trial call', async () => {
    const c = client(ollama.url, { halfOpenAfterMs: 150 });
    ollama.script(...Array.from({ length: 5 }, () => ({ status: 500 })));
    for (let i = 0; i < 5; i++) await c.chat(MESSAGES, {}).catch(() => undefined);
    expect(c.circuitState).toBe('open');
    await new Promise((r) => setTimeout(r, 200));
    ollama.script({ json: { ok: 1 } });
    await expect(c.chat(MESSAGES, {})).resolves.toMatchObject({ content: '{"ok":1}' });
    expect(c.circuitState).toBe('closed');
  });

  it('the breaker also opens on refused connections', async () => {
    const c = client(await refusedUrl());
    for (let i = 0; i < 5; i++) await c.chat(MESSAGES, {}).catch(() => undefined);
    await expect(c.chat(MESSAGES, {})).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('serves /api/generate, /api/tags and /api/version like Ollama', async () => {
    const c = client(ollama.url);
    await expect(c.version()).resolves.toMatch(/fake/);
    ollama.script({ content: 'hello' });
    const res = await fetch(`${ollama.url}/api/generate`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', prompt: 'p', stream: false }),
    });
    expect(await res.json()).toMatchObject({ response: 'hello', done: true });
    const tags = (await (await fetch(`${ollama.url}/api/tags`)).json()) as {
      models: { name: string }[];
    };
    expect(tags.models[0]?.name).toBe('fake-model:7b');
  });
});
