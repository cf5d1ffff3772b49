// Hand-drawn inline SVG charts: a line for series, horizontal bars for tables
// and comparisons. Drawn at the container's pixel width so text stays legible
// on a phone; the data table next to each chart is the accessible version.

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function svgRoot(width, height, label) {
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': label,
    class: 'chart',
  });
  svg.append(el('title', {}, label));
  return svg;
}

/** Round a step up to 1, 2, 2.5 or 5 × 10^n, so ticks land on readable values. */
function niceStep(range, count) {
  const raw = range / Math.max(count, 1) || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
}

function yScale(values, ticks = 4) {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const step = niceStep(hi - lo, ticks);
  const min = Math.floor(lo / step) * step;
  const max = Math.max(Math.ceil(hi / step) * step, min + step);
  const list = [];
  for (let v = min; v <= max + step / 2; v += step) list.push(v);
  return { min, max, ticks: list };
}

function truncate(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/**
 * @param {{ t: string, value: number }[]} points
 * @param {{ width: number, label: string, format: (v: number) => string, compact: (v: number) => string }} opts
 */
export function lineChart(points, { width, label, format, compact }) {
  const height = 240;
  const m = { top: 14, right: 16, bottom: 34, left: 58 };
  const svg = svgRoot(width, height, label);
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const scale = yScale(points.map((p) => p.value));
  const x = (i) => m.left + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v) => m.top + plotH - ((v - scale.min) / (scale.max - scale.min)) * plotH;

  const grid = el('g', { class: 'grid' });
  for (const t of scale.ticks) {
    grid.append(el('line', { x1: m.left, x2: width - m.right, y1: y(t), y2: y(t) }));
    grid.append(el('text', { x: m.left - 8, y: y(t) + 4, 'text-anchor': 'end' }, compact(t)));
  }
  svg.append(grid);

  const labels = el('g', { class: 'axis' });
  const last = points.length - 1;
  // Estimated label width; the end labels hug the plot's edges (start/end
  // anchored), so neighbours keep 1.5 label widths between their anchors.
  const labelW = Math.max(...points.map((p) => p.t.length)) * 7 + 8;
  const step = last > 0 ? plotW / last : plotW;
  const every = Math.max(1, Math.ceil((1.5 * labelW) / step));
  points.forEach((p, i) => {
    const regular = i % every === 0 && (last - i) * step >= 1.5 * labelW;
    if (!regular && i !== last) return;
    const anchor = i === 0 && last > 0 ? 'start' : i === last && last > 0 ? 'end' : 'middle';
    labels.append(el('text', { x: x(i), y: height - 12, 'text-anchor': anchor }, p.t));
  });
  svg.append(labels);

  if (points.length > 0) {
    const line = points.map(
      (p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`,
    );
    const base = y(Math.max(scale.min, 0)).toFixed(1);
    const lastX = x(points.length - 1).toFixed(1);
    svg.append(
      el('path', {
        class: 'area',
        d: `${line.join('')}L${lastX},${base}L${x(0).toFixed(1)},${base}Z`,
      }),
    );
    svg.append(el('path', { class: 'line', d: line.join('') }));
    const dots = el('g', { class: 'dots' });
    points.forEach((p, i) => {
      const dot = el('circle', { cx: x(i), cy: y(p.value), r: points.length > 40 ? 2 : 3.5 });
      dot.append(el('title', {}, `${p.t}: ${format(p.value)}`));
      dots.append(dot);
    });
    svg.append(dots);
  }
  return svg;
}

/**
 * Horizontal bars, one per row; `highlight` marks a row (the current period).
 * @param {{ label: string, value: number, highlight?: boolean }[]} rows
 * @param {{ width: number, label: string, format: (v: number) => string }} opts
 */
export function barChart(rows, { width, label, format }) {
  const rowH = 30;
  const m = { top: 6, right: 12, bottom: 6 };
  const labelW = Math.min(170, Math.round(width * 0.34));
  const valueW = Math.min(110, Math.round(width * 0.24));
  const height = m.top + m.bottom + rows.length * rowH;
  const svg = svgRoot(width, height, label);
  const values = rows.map((r) => r.value);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const plotX = labelW + 8;
  const plotW = Math.max(20, width - plotX - valueW - m.right);
  const x = (v) => plotX + ((v - lo) / span) * plotW;
  const maxChars = Math.max(6, Math.floor(labelW / 7.5));

  rows.forEach((r, i) => {
    const top = m.top + i * rowH;
    const g = el('g', { class: r.highlight ? 'bar current' : 'bar' });
    const name = el('text', { x: labelW, y: top + rowH / 2 + 4, 'text-anchor': 'end' });
    name.textContent = truncate(r.label, maxChars);
    if (name.textContent !== r.label) name.append(el('title', {}, r.label));
    const x0 = x(Math.min(0, r.value));
    const w = Math.max(1, Math.abs(x(r.value) - x(0)));
    const rect = el('rect', { x: x0, y: top + 5, width: w, height: rowH - 10, rx: 3 });
    rect.append(el('title', {}, `${r.label}: ${format(r.value)}`));
    const value = el(
      'text',
      { x: x0 + w + 6, y: top + rowH / 2 + 4, class: 'value' },
      format(r.value),
    );
    g.append(name, rect, value);
    svg.append(g);
  });
  if (lo < 0) {
    svg.append(el('line', { class: 'zero', x1: x(0), x2: x(0), y1: m.top, y2: height - m.bottom }));
  }
  return svg;
}
