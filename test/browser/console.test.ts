import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDocuments, importShop } from '../../src/shared/data/import/import-shop.js';
import { readShopDir } from '../../src/shared/data/import/ndjson-import.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../fixtures/northwind');
const AS_OF = '1998-05-06';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where screenshots go, for a person to look at. */
const SHOTS = process.env.CONSOLE_SCREENSHOTS ?? path.join(tmpdir(), 'shop-insights-console');

/**
 * The web console in a real browser against the real app: HTTP, queues,
 * workers and Redis in this process. The tests of the first describe run in
 * order on one tab, as one person's session: sign in, ask, reopen.
 */
describe('web console in chromium', () => {
  let stack: TestStack;
  let server: Server;
  let base: string;
  let key: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    // llm worker without OLLAMA_HOST: long-tail questions fail with LLM_UNAVAILABLE + suggestions.
    stack = await startTestStack({ workers: ['kpi', 'llm'] });
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind', timezone: 'UTC' });
    const docs = await readShopDir(NORTHWIND, 2);
    const as3 = <T extends { shop_id: number }>(d: T): T => ({ ...d, shop_id: 3 });
    await importDocuments(
      stack.core,
      3,
      {
        order: docs.order.map(as3),
        product: docs.product.map(as3),
        customer: docs.customer.map(as3),
      },
      { name: 'Keyless Corner', timezone: 'UTC' },
    );
    key = (await stack.api.shops.keys.create(2, 'browser test')).api_key;
    server = createServer(stack.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    await mkdir(SHOTS, { recursive: true });
    profile = await mkdtemp(path.join(tmpdir(), 'si-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => requested.push(r.url()));
  });

  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await stack?.stop();
  });

  /** Ask through the form; returns once the API has taken (or refused) the question. */
  async function ask(question: string): Promise<void> {
    await page.getByLabel('Your question').fill(question);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/ask')),
      page.getByLabel('Your question').press('Enter'),
    ]);
  }

  const answer = () => page.locator('#answer');

  /** Wait for the page to show something (jobs go through real queues). */
  const until = <T>(read: () => Promise<T>, { timeout = 10_000 } = {}) =>
    expect.poll(read, { timeout });

  it('loads small and fast, from this server only', async () => {
    const measure = () =>
      page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const all = [nav, ...resources];
        return {
          loadMs: Math.round(nav.loadEventEnd - nav.startTime),
          domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd - nav.startTime),
          requests: all.length,
          transferBytes: all.reduce((s, r) => s + r.transferSize, 0),
          bodyBytes: all.reduce((s, r) => s + r.decodedBodySize, 0),
        };
      });
    await page.goto(base, { waitUntil: 'load' });
    const cold = await measure();
    // Assets revalidate (ETag → 304), so a second visit moves headers only.
    await page.reload({ waitUntil: 'load' });
    const warm = await measure();
    console.log(
      `console page, first visit: load ${cold.loadMs} ms (DOMContentLoaded ${cold.domContentLoadedMs} ms), ` +
        `${cold.requests} requests, ${cold.transferBytes} bytes transferred (${cold.bodyBytes} bytes of files); ` +
        `reload: load ${warm.loadMs} ms, ${warm.transferBytes} bytes transferred`,
    );
    expect(cold.bodyBytes).toBeGreaterThan(0);
    expect(requested.every((u) => u.startsWith(base))).toBe(true);
    await until(() => page.getByLabel('Shop API key').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, '0-sign-in.png') });
  });

  it('refuses a wrong key with a clear message', async () => {
    await page.getByLabel('Shop API key').fill('si_wrong_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await until(() => page.locator('#sign-in-error').textContent()).toMatch(/key was not accepted/);
  });

  it('signs in with a shop key kept in this tab only', async () => {
    await page.getByLabel('Shop API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await until(() => page.locator('#shop-name').textContent()).toBe('Northwind');
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('shop-insights.session'))).toContain(
      key,
    );
    // Suggestions come from the Tier 1 catalogue.
    await until(() => page.locator('#suggestions option').count()).toBeGreaterThan(10);
    await page.getByText('Options').click();
    await page.getByLabel('Answer as of (date)').fill(AS_OF);
  });

  it('asks a question, shows live progress over SSE and the exact number', async () => {
    await ask('How many orders did we get last month?');
    await until(() => answer().locator('[data-testid=value]').textContent()).toBe('74 orders');
    expect(await answer().locator('.sentence').textContent()).toContain('April 1998');
    expect(await page.locator('#progress-text').textContent()).toMatch(
      /Answered by Tier 1 · analytics/,
    );
    expect(await page.locator('#progress-text').getAttribute('aria-live')).toBe('polite');
    expect(requested.some((u) => /\/api\/jobs\/[\w-]+\/events$/.test(u))).toBe(true);
    expect(requested.some((u) => u.includes(key))).toBe(false);
    // The pipeline is there, collapsed.
    const pipeline = answer().locator('details.pipeline');
    expect(await pipeline.getAttribute('open')).toBeNull();
    await pipeline.locator('summary').click();
    expect(await pipeline.locator('code').textContent()).toContain('"shop_id": 2');
  });

  it('draws a line chart for a series', async () => {
    await ask('Monthly revenue in 1997');
    const line = answer().locator('figure svg path.line');
    await until(() => line.count()).toBe(1);
    const d = (await line.getAttribute('d')) ?? '';
    expect(d.match(/[ML]/g)).toHaveLength(12);
    expect(await answer().locator('figure svg circle').count()).toBe(12);
    expect(await answer().locator('.stats').textContent()).toContain('$75,156.39');
    await page.screenshot({ path: path.join(SHOTS, '1-series.png'), fullPage: true });
  });

  it('draws bars for a top-N table and a comparison', async () => {
    await ask('Top 5 products by revenue last month');
    await until(() => answer().locator('figure svg .bar rect').count()).toBe(5);
    expect(await answer().locator('table tbody tr').count()).toBe(5);
    expect(await answer().locator('table tbody tr').first().textContent()).toContain(
      'Raclette Courdavault',
    );
    // (The pipeline itself may hold nulls, as in { $ne: null }.)
    const shown = await answer().locator(':scope > :not(details.pipeline)').allTextContents();
    expect(shown.join(' ')).not.toMatch(/\bnull\b|undefined|NaN/);
    await page.screenshot({ path: path.join(SHOTS, '2-top-n.png'), fullPage: true });

    await ask('Revenue last month compared to the month before');
    await until(() => answer().locator('figure svg .bar rect').count()).toBe(2);
    expect(await answer().locator('.change').textContent()).toContain('+18.1%');
    expect(await answer().locator('[data-testid=value]').textContent()).toBe('$130,192.26');
    await page.screenshot({ path: path.join(SHOTS, '3-comparison.png'), fullPage: true });
  });

  it('keeps the context for a follow-up question', async () => {
    await answer().getByRole('button', { name: 'Ask a follow-up' }).click();
    expect(await page.locator('#follow-up').isVisible()).toBe(true);
    await until(() => page.evaluate(() => document.activeElement?.id)).toBe('question');
    await ask('and the month before?');
    await until(() => answer().locator('.asked').textContent()).toBe('and the month before?');
    expect(await answer().locator('.sentence').textContent()).toContain('March 1998');
    const [latest] = (
      (await await fetch(`${base}/api/jobs?limit=1`, {
        headers: { Authorization: `Bearer ${key}` },
      }).then((r) => r.json())) as { jobs: { follow_up_of?: string }[] }
    ).jobs;
    expect(latest?.follow_up_of).toBeTruthy();
    expect(await page.locator('#follow-up').isVisible()).toBe(false);
  });

  it('takes 👍 feedback on the answer', async () => {
    await answer().getByRole('button', { name: 'Yes, this answer is right' }).click();
    await until(() => answer().locator('.feedback [role=status]').textContent()).toBe(
      'Thanks, noted.',
    );
    const jobId = (await answer().locator('details.pipeline').textContent())!.match(
      /Job ([\w-]+)/,
    )![1]!;
    expect((await stack.api.results.get(jobId))?.feedback?.correct).toBe(true);
  });

  it('reopens an earlier answer from the history', async () => {
    const item = page
      .locator('#history-list button')
      .filter({ hasText: 'How many orders did we get last month?' });
    await until(() => item.count()).toBe(1);
    expect(await page.locator('#history-list li').count()).toBe(5);
    // By keyboard: the history is a list of buttons.
    await item.focus();
    await page.keyboard.press('Enter');
    await until(() => answer().locator('[data-testid=value]').textContent()).toBe('74 orders');
    await until(() => page.evaluate(() => document.activeElement?.id)).toBe('answer');
    expect(await item.getAttribute('aria-current')).toBe('true');
  });

  it('says clearly why a question was rejected', async () => {
    await ask('x'.repeat(501));
    const alert = page.getByRole('alert').filter({ hasText: 'not accepted' });
    await until(() => alert.isVisible()).toBe(true);
    const text = await alert.textContent();
    expect(text).toContain('at most 500 characters; this one has 501');
    expect(text).toContain('QUESTION_TOO_LONG');
    expect(text).not.toMatch(/\bnull\b|undefined/);
    expect(await answer().isVisible()).toBe(false);
    expect(await page.locator('#question-count').textContent()).toBe('501 / 500 characters');
    await page.screenshot({ path: path.join(SHOTS, '4-rejected.png') });
  });

  it('explains a failed question and offers questions that work', async () => {
    await ask('What will the weather be like for our customers tomorrow?');
    const alert = page.getByRole('alert').filter({ hasText: 'could not answer' });
    await until(() => alert.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await alert.textContent()).toContain('LLM_UNAVAILABLE');
    const chips = alert.locator('button.chip');
    expect(await chips.count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, '5-failed.png') });
    const chosen = (await chips.first().textContent())!;
    await chips.first().click();
    await until(() => answer().locator('.asked').textContent()).toBe(chosen);
    expect(await page.getByRole('alert').isVisible()).toBe(false);
  });

  it('falls back to polling when the event stream is unavailable', async () => {
    await page.route('**/events', (route) => route.abort());
    try {
      await ask('How many customers do we have?');
      await until(() => answer().locator('[data-testid=value]').textContent()).toBe('91 customers');
    } finally {
      await page.unroute('**/events');
    }
  });

  it('reads well on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await ask('Monthly revenue in 1997');
    await until(() => answer().locator('figure svg path.line').count()).toBe(1);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Redrawn at the phone's width, not shrunk from the desktop drawing.
    const width = Number(await answer().locator('figure svg').getAttribute('width'));
    expect(width).toBeLessThan(390);
    await page.screenshot({ path: path.join(SHOTS, '6-phone.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SHOTS, '7-phone-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out and forgets the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.getByLabel('Shop API key').isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('shop-insights.session'))).toBeNull();
  });

  it('signs in by shop id in open mode, and not to a keyed shop', async () => {
    const tab = await context.newPage();
    try {
      await tab.goto(base);
      await tab.getByText('No key?').click();
      await tab.getByLabel('Shop id').fill('2');
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await until(() => tab.locator('#sign-in-error').textContent()).toMatch(/needs an API key/);
      await tab.getByLabel('Shop id').fill('3');
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await until(() => tab.locator('#shop-name').textContent()).toBe('Keyless Corner');
      await tab.getByLabel('Your question').fill('How many customers do we have?');
      await tab.getByRole('button', { name: 'Ask', exact: true }).click();
      await until(() => tab.locator('#answer [data-testid=value]').textContent()).toBe(
        '91 customers',
      );
    } finally {
      await tab.close();
    }
  });
});
