// Renders a finished job: sentence, numbers, chart, table, explanation,
// pipeline, feedback. Text only ever goes in through textContent.

import { barChart, lineChart } from './chart.js';
import { TIER_LABELS, formatChange, formatCompact, formatNumber, formatValue } from './format.js';

/** Tiny element builder: h('p', { class: 'x' }, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) node.append(c);
  }
  return node;
}

const MAX_BARS = 25;

/**
 * @param {HTMLElement} article
 * @param {Record<string, any>} job a succeeded job (GET /api/jobs/:id)
 * @param {{ onFeedback: (correct: boolean) => Promise<void>, onFollowUp: () => void }} actions
 */
export function renderAnswer(article, job, actions) {
  const data = job.data || {};
  const parts = [
    h('p', { id: 'answer-question', class: 'asked' }, job.question),
    h('p', { class: 'sentence' }, job.answer || ''),
    numbers(data),
    chartFigure(data, job.question),
    dataTable(data),
    job.explanation ? h('p', { class: 'explanation' }, job.explanation) : null,
    pipeline(job),
    footer(job, actions),
  ];
  article.replaceChildren(...parts.filter(Boolean));
  article.hidden = false;
}

function numbers(data) {
  if (data.kind === 'scalar') {
    const c = data.comparison;
    return h(
      'div',
      { class: 'numbers' },
      h('p', { class: 'big-number', 'data-testid': 'value' }, formatValue(data.value, data.unit)),
      c
        ? h(
            'p',
            { class: `change ${c.change_pct > 0 ? 'up' : c.change_pct < 0 ? 'down' : ''}` },
            `${c.change_pct > 0 ? '▲' : c.change_pct < 0 ? '▼' : ''} ${formatChange(c.change_pct)} `,
            h(
              'span',
              { class: 'muted' },
              `vs ${formatValue(c.previous, data.unit)}${c.previous_label ? ` in ${c.previous_label}` : ''}`,
            ),
          )
        : null,
    );
  }
  if (data.kind === 'series' && data.points.length > 0) {
    const pts = data.points;
    const hi = pts.reduce((a, b) => (b.value > a.value ? b : a));
    const lo = pts.reduce((a, b) => (b.value < a.value ? b : a));
    const stat = (label, p) =>
      h('div', {}, h('dt', {}, label), h('dd', {}, `${formatValue(p.value, data.unit)} (${p.t})`));
    return h(
      'dl',
      { class: 'stats' },
      stat('Highest', hi),
      stat('Lowest', lo),
      stat('Latest', pts[pts.length - 1]),
    );
  }
  return null;
}

/** The label column (first text column) and the value column (last numeric one). */
function tableShape(data) {
  const first = data.rows[0] || [];
  const labelCol = first.findIndex((v) => typeof v === 'string');
  let valueCol = -1;
  first.forEach((v, i) => {
    if (typeof v === 'number') valueCol = i;
  });
  return { labelCol, valueCol };
}

function chartFigure(data, question) {
  const fmt = (v) => formatValue(v, data.unit);
  let draw = null;
  let caption = '';
  if (data.kind === 'series' && data.points.length > 1) {
    caption = `${question} — by ${data.interval}`;
    draw = (width) =>
      lineChart(data.points, {
        width,
        label: `Line chart: ${caption}`,
        format: fmt,
        compact: (v) => formatCompact(v, data.unit),
      });
  } else if (data.kind === 'table' && data.rows.length > 1) {
    const { labelCol, valueCol } = tableShape(data);
    if (labelCol < 0 || valueCol < 0) return null;
    const rows = data.rows.slice(0, MAX_BARS).map((r) => ({
      label: String(r[labelCol] ?? '—'),
      value: Number(r[valueCol]) || 0,
    }));
    caption = `${data.columns[valueCol]} by ${data.columns[labelCol]}`;
    if (data.rows.length > MAX_BARS) caption += ` (first ${MAX_BARS} of ${data.rows.length})`;
    draw = (width) => barChart(rows, { width, label: `Bar chart: ${caption}`, format: fmt });
  } else if (data.kind === 'scalar' && data.comparison && data.value !== null) {
    const rows = [
      { label: data.comparison.previous_label || 'Before', value: data.comparison.previous },
      { label: 'This period', value: data.value, highlight: true },
    ];
    caption = `${data.label || 'value'}: this period against ${data.comparison.previous_label || 'the one before'}`;
    draw = (width) => barChart(rows, { width, label: `Comparison: ${caption}`, format: fmt });
  }
  if (!draw) return null;
  const figure = h('figure', { class: 'chart-box' }, h('figcaption', {}, caption));
  // Drawn once attached (to know the width) and again when the width changes a lot.
  let drawnAt = 0;
  const redraw = () => {
    const width = Math.round(figure.clientWidth);
    if (width < 50 || Math.abs(width - drawnAt) < 40) return;
    drawnAt = width;
    figure.querySelector('svg')?.remove();
    figure.insertBefore(draw(width), figure.firstChild);
  };
  new ResizeObserver(redraw).observe(figure);
  return figure;
}

function dataTable(data) {
  let columns;
  let rows;
  let unitCol = -1;
  if (data.kind === 'table') {
    columns = data.columns;
    rows = data.rows;
    unitCol = tableShape(data).valueCol;
  } else if (data.kind === 'series') {
    columns = [data.interval, 'value'];
    rows = data.points.map((p) => [p.t, p.value]);
    unitCol = 1;
  } else {
    return null;
  }
  const table = h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          r.map((v, i) =>
            h(
              'td',
              { class: typeof v === 'number' ? 'num' : undefined },
              typeof v === 'number'
                ? i === unitCol
                  ? formatValue(v, data.unit, { withNoun: false })
                  : formatNumber(v)
                : v === null
                  ? '—'
                  : String(v),
            ),
          ),
        ),
      ),
    ),
  );
  const wrap = h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Data' },
    table,
  );
  // A series is read from the chart; its numbers stay one click away.
  if (data.kind === 'series') {
    return h('details', { class: 'data' }, h('summary', {}, `Data (${rows.length} rows)`), wrap);
  }
  return wrap;
}

function pipeline(job) {
  const t = job.timings_ms;
  const facts = [
    TIER_LABELS[job.tier] || job.tier,
    t ? `${t.total} ms (queued ${t.queued} ms, run ${t.run} ms)` : null,
    job.cache_hit ? 'from the cache' : null,
    job.escalations?.length
      ? `escalated ${job.escalations.map((e) => `${e.from}→${e.to}`).join(', ')}`
      : null,
  ].filter(Boolean);
  return h(
    'details',
    { class: 'pipeline' },
    h('summary', {}, 'How this was answered'),
    h('p', { class: 'muted' }, facts.join(' · ')),
    job.query
      ? h(
          'div',
          {},
          h('p', {}, `Aggregation on “${job.query.collection}”:`),
          h('pre', { tabindex: '0' }, h('code', {}, JSON.stringify(job.query.pipeline, null, 2))),
        )
      : h('p', {}, 'No single query: this answer was computed from several.'),
    h('p', { class: 'muted' }, `Job ${job.job_id}`),
  );
}

function footer(job, { onFeedback, onFollowUp }) {
  const status = h('span', { class: 'muted', role: 'status' });
  const given = job.feedback ? job.feedback.correct : null;
  const button = (correct, emoji, word, text) => {
    const b = h(
      'button',
      {
        type: 'button',
        class: 'icon',
        'aria-pressed': String(given === correct),
        'aria-label': text,
        title: text,
      },
      h('span', { 'aria-hidden': 'true' }, emoji),
      ` ${word}`,
    );
    b.addEventListener('click', async () => {
      status.textContent = 'Saving…';
      try {
        await onFeedback(correct);
        for (const other of b.parentElement.querySelectorAll('button.icon')) {
          other.setAttribute('aria-pressed', String(other === b));
        }
        status.textContent = 'Thanks, noted.';
      } catch (err) {
        status.textContent = `Not saved: ${err.message}`;
      }
    });
    return b;
  };
  return h(
    'div',
    { class: 'answer-actions' },
    h(
      'div',
      { class: 'feedback', role: 'group', 'aria-label': 'Was this answer right?' },
      h('span', {}, 'Right?'),
      button(true, '👍', 'Yes', 'Yes, this answer is right'),
      button(false, '👎', 'No', 'No, this answer is wrong'),
      status,
    ),
    h('button', { type: 'button', class: 'secondary', onclick: onFollowUp }, 'Ask a follow-up'),
  );
}
