// The console's only door to the API. The key lives in sessionStorage (this
// tab, until it closes) and travels in the Authorization header, never in a URL.

const SESSION_KEY = 'shop-insights.session';

/** @typedef {{ apiKey?: string, shopId?: number, shopName?: string }} Session */

/** @returns {Session | null} */
export function loadSession() {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

/** @param {Session | null} session */
export function saveSession(session) {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

/** An API error with the body's stable code. */
export class ApiError extends Error {
  /** @param {number} status @param {{ code?: string, message?: string, suggestions?: string[] }} body */
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code || 'HTTP_' + status;
    this.suggestions = body.suggestions || [];
  }
}

export class Api {
  /** @param {Session} session */
  constructor(session) {
    this.session = session;
  }

  headers(extra = {}) {
    const h = { Accept: 'application/json', ...extra };
    if (this.session.apiKey) h.Authorization = `Bearer ${this.session.apiKey}`;
    return h;
  }

  /** Open mode names the shop in the query or body; a key names it itself. */
  shopParam() {
    return !this.session.apiKey && this.session.shopId ? `shop_id=${this.session.shopId}` : '';
  }

  async request(method, path, body) {
    let res;
    try {
      res = await fetch(path, {
        method,
        headers: this.headers(body ? { 'Content-Type': 'application/json' } : {}),
        body: body ? JSON.stringify(body) : undefined,
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, { code: 'NETWORK', message: 'The service could not be reached.' });
    }
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, data.error || {});
    return data;
  }

  history(limit = 20) {
    const shop = this.shopParam();
    return this.request('GET', `/api/jobs?limit=${limit}${shop ? '&' + shop : ''}`);
  }

  shop(shopId) {
    return this.request('GET', `/api/shops/${shopId}`);
  }

  suggestions() {
    return this.request('GET', '/api/suggestions');
  }

  ask(question, { asOf, followUpOf } = {}) {
    const body = { question };
    if (!this.session.apiKey) body.shop_id = this.session.shopId;
    if (asOf) body.as_of = asOf;
    if (followUpOf) body.context = { follow_up_of: followUpOf };
    return this.request('POST', '/api/ask', body);
  }

  job(jobId) {
    return this.request('GET', `/api/jobs/${encodeURIComponent(jobId)}`);
  }

  feedback(jobId, correct) {
    return this.request('POST', `/api/jobs/${encodeURIComponent(jobId)}/feedback`, { correct });
  }

  /**
   * Follow a job to its end: Server-Sent Events read with fetch (so the key
   * stays in a header), falling back to polling when the stream is refused,
   * drops, or times out. `onStatus` gets each state; resolves with the job.
   * @param {string} jobId
   * @param {(event: { status: string, tier: string }) => void} onStatus
   * @param {AbortSignal} signal
   */
  async watch(jobId, onStatus, signal) {
    try {
      const done = await this.stream(jobId, onStatus, signal);
      if (done) return done;
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof ApiError && err.status === 404) throw err;
    }
    return this.poll(jobId, onStatus, signal);
  }

  async stream(jobId, onStatus, signal) {
    const res = await fetch(`/api/jobs/${encodeURIComponent(jobId)}/events`, {
      headers: this.headers({ Accept: 'text/event-stream' }),
      cache: 'no-store',
      signal,
    });
    if (!res.ok || !res.body) {
      const data = await res.json().catch(() => ({}));
      throw new ApiError(res.status, data.error || {});
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const { event, data } = parseFrame(block);
        if (!data) continue;
        if (event === 'status') onStatus(JSON.parse(data));
        else if (event === 'done') {
          await reader.cancel().catch(() => {});
          return JSON.parse(data);
        } else if (event === 'timeout' || event === 'error') {
          await reader.cancel().catch(() => {});
          return null;
        }
      }
    }
  }

  async poll(jobId, onStatus, signal) {
    let delay = 400;
    let last = '';
    for (;;) {
      if (signal.aborted) throw new DOMException('aborted', 'AbortError');
      const job = await this.job(jobId);
      const state = `${job.status}/${job.tier}`;
      if (state !== last) {
        last = state;
        onStatus(job);
      }
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 1.5, 3000);
    }
  }
}

function parseFrame(block) {
  let event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { event, data: data.join('\n') };
}
