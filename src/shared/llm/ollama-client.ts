import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { Ollama, type Message } from 'ollama';
import { AppError } from '../errors/app-error.js';

export interface LlmClientOptions {
  host: string;
  model: string;
  /** Per call, covering the connection, the generation and reading the body. */
  timeoutMs: number;
  /** Consecutive failed calls that open the circuit. */
  breakerFailures: number;
  /** Time the open circuit waits before one trial call (half-open). */
  halfOpenAfterMs: number;
}

export type ChatMessage = Pick<Message, 'role' | 'content'>;

export interface ChatResult {
  content: string;
  /** Wall time of the HTTP call, model included. */
  durationMs: number;
  /** What the server reports for its own work, when it does. */
  modelDurationMs?: number;
}

/**
 * Ollama's client with the resilience it lacks: a timeout on every call (the
 * client has no timeout option, so it gets a `fetch` that adds
 * `AbortSignal.timeout`) and a cockatiel circuit breaker shared by every job of
 * the process. Any failed call counts towards the breaker: timeouts, 5xx,
 * refused connections, and 4xx too (a missing model is as unavailable as a
 * down server). What the model writes is not judged here.
 */
export class LlmClient {
  readonly model: string;
  private readonly ollama: Ollama;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly timeoutMs: number;
  private readonly halfOpenAfterMs: number;
  private openedAt = 0;

  constructor(opts: LlmClientOptions) {
    this.model = opts.model;
    this.timeoutMs = opts.timeoutMs;
    this.ollama = new Ollama({ host: opts.host, fetch: timeoutFetch(opts.timeoutMs) });
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: opts.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(opts.breakerFailures),
    });
    this.halfOpenAfterMs = opts.halfOpenAfterMs;
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
  }

  /**
   * True while calls are refused without trying. cockatiel only half-opens when
   * a call is attempted after the wait, so once the wait is over this says
   * "not open" and the next call is the trial that can close the circuit.
   */
  get isOpen(): boolean {
    if (this.breaker.state === CircuitState.Isolated) return true;
    return (
      this.breaker.state === CircuitState.Open && Date.now() - this.openedAt < this.halfOpenAfterMs
    );
  }

  get circuitState(): 'closed' | 'open' | 'half-open' | 'isolated' {
    const names = {
      [CircuitState.Closed]: 'closed',
      [CircuitState.Open]: 'open',
      [CircuitState.HalfOpen]: 'half-open',
      [CircuitState.Isolated]: 'isolated',
    } as const;
    return names[this.breaker.state];
  }

  onStateChange(listener: (state: LlmClient['circuitState']) => void): void {
    this.breaker.onStateChange(() => listener(this.circuitState));
  }

  /**
   * One non-streaming chat turn constrained to `format` (a JSON schema).
   * Throws `LlmCallError` for a failed call and `CircuitOpenError` when the
   * breaker refuses it.
   */
  async chat(messages: ChatMessage[], format: object): Promise<ChatResult> {
    const started = performance.now();
    try {
      const res = await this.breaker.execute(() =>
        this.ollama.chat({
          model: this.model,
          messages,
          format,
          stream: false,
          // Deterministic output: the same prompt gives the same pipeline.
          options: { temperature: 0 },
        }),
      );
      const content = typeof res.message?.content === 'string' ? res.message.content : '';
      return {
        content,
        durationMs: performance.now() - started,
        ...(typeof res.total_duration === 'number'
          ? { modelDurationMs: res.total_duration / 1e6 }
          : {}),
      };
    } catch (err) {
      throw this.classify(err);
    }
  }

  /** For readiness checks: the server's version, through the breaker's eyes. */
  async version(): Promise<string> {
    if (this.isOpen) throw new CircuitOpenError();
    try {
      return (await this.ollama.version()).version;
    } catch (err) {
      throw this.classify(err);
    }
  }

  private classify(err: unknown): Error {
    if (err instanceof BrokenCircuitError) return new CircuitOpenError();
    const e = err as {
      name?: string;
      status_code?: number;
      message?: string;
      cause?: { code?: string };
    };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return new LlmCallError(
        'timeout',
        `the model did not answer within ${this.timeoutMs} ms`,
        err,
      );
    }
    if (e.name === 'ResponseError') {
      return new LlmCallError(
        'http',
        `Ollama answered ${e.status_code ?? '?'}: ${truncate(e.message ?? '', 200)}`,
        err,
      );
    }
    const code = e.cause?.code;
    if (
      code === 'ECONNREFUSED' ||
      code === 'ENOTFOUND' ||
      code === 'ECONNRESET' ||
      code === 'EAI_AGAIN'
    ) {
      return new LlmCallError('connection', `cannot reach Ollama (${code})`, err);
    }
    return new LlmCallError(
      'other',
      `Ollama call failed: ${truncate(e.message ?? String(err), 200)}`,
      err,
    );
  }
}

/** A call that was made and failed; counts towards the circuit. Transient. */
export class LlmCallError extends AppError {
  constructor(
    readonly kind: 'timeout' | 'http' | 'connection' | 'other',
    message: string,
    cause: unknown,
  ) {
    super(kind === 'connection' ? 'LLM_UNAVAILABLE' : 'LLM_FAILED', message, {
      retryable: true,
      cause,
    });
  }
}

/** The breaker refused the call without trying. Permanent for this job: fail fast. */
export class CircuitOpenError extends AppError {
  constructor() {
    super(
      'LLM_UNAVAILABLE',
      'the language model is unavailable (circuit open after repeated failures)',
      {
        retryable: false,
      },
    );
  }
}

/**
 * `fetch` with a deadline. The client passes no signal for non-streaming
 * calls; one given anyway is combined with the deadline, not replaced.
 */
export function timeoutFetch(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
