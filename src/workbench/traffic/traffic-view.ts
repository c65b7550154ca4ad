// Draws the traffic chart: requests per simulated time bucket stacked by the version that answered, failures
// hatched and marked with a cross on top, a legend in words, a live one-line summary and the same facts as a table.
import { clockTime } from '../timeline/timeline-view.ts';
import type { TrafficData, TrafficBucket } from './traffic-data.ts';
import { element, svg } from '../dom.ts';

const WIDTH = 800;
const HEIGHT = 170;
const LEFT = 40;
const TOP = 14;
const BOTTOM = 20;
/** Version fills: colour and pattern both differ, so versions stay apart without colour vision. */
const VERSION_STYLES = ['solid', 'stripes', 'dots', 'grid'] as const;



function patternDefs(): SVGElement {
  const defs = svg('defs');
  const pattern = (id: string, ...shapes: SVGElement[]) => svg('pattern', { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse' }, ...shapes);
  defs.append(
    pattern('traffic-fill-stripes', svg('rect', { width: 6, height: 6, class: 'pat-bg' }), svg('path', { d: 'M0 6 L6 0', class: 'pat-ink' })),
    pattern('traffic-fill-dots', svg('rect', { width: 6, height: 6, class: 'pat-bg' }), svg('circle', { cx: 3, cy: 3, r: 1.3, class: 'pat-dot' })),
    pattern('traffic-fill-grid', svg('rect', { width: 6, height: 6, class: 'pat-bg' }), svg('path', { d: 'M0 3 H6 M3 0 V6', class: 'pat-ink' })),
    pattern('traffic-fill-failed', svg('rect', { width: 6, height: 6, class: 'pat-failed-bg' }), svg('path', { d: 'M0 0 L6 6 M6 0 L0 6', class: 'pat-failed-ink' })),
  );
  return defs;
}

/** Class and fill of the n-th version (first seen first). */
function versionFill(index: number): { className: string; fill?: string } {
  const style = VERSION_STYLES[index % VERSION_STYLES.length]!;
  const className = `traffic-v traffic-v${index % 4}`;
  return style === 'solid' ? { className } : { className, fill: `url(#traffic-fill-${style})` };
}

function swatch(className: string, fill?: string, marker = false): SVGElement {
  const rect = svg('rect', { x: 1, y: 1, width: 14, height: 12, class: className, ...(fill ? { fill } : {}) });
  const root = svg('svg', { width: 16, height: 14, viewBox: '0 0 16 14', 'aria-hidden': 'true', class: 'traffic-swatch' }, rect);
  if (marker) {
    const cross = svg('text', { x: 8, y: 11, 'text-anchor': 'middle', class: 'traffic-marker' });
    cross.textContent = '✕';
    root.append(cross);
  }
  return root;
}

function describeVersions(bucket: TrafficBucket): string {
  const parts = Object.entries(bucket.byVersion).map(([v, n]) => `${v} ${n}`);
  return parts.length ? parts.join(', ') : '—';
}

export class TrafficView {
  private readonly status: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly chart: HTMLElement;
  private readonly table: HTMLElement;
  private readonly tableDetails: HTMLDetailsElement;
  private lastKey = '';

  constructor(private readonly root: HTMLElement) {
    root.classList.add('traffic');
    this.status = element('p', { className: 'traffic-status' });
    this.summary = element('p', { className: 'traffic-summary' });
    this.summary.setAttribute('aria-live', 'polite');
    this.summary.dataset.wb = 'traffic-summary';
    this.legend = element('ul', { className: 'traffic-legend' });
    this.legend.setAttribute('aria-label', 'Legend');
    this.chart = element('div', { className: 'traffic-chart' });
    this.tableDetails = element('details', { className: 'traffic-table' }, element('summary', { textContent: 'Traffic as a table' }));
    // The table scrolls inside the panel, so keyboard users must be able to reach and scroll it.
    this.table = element('div', { tabIndex: 0 });
    this.table.setAttribute('role', 'region');
    this.table.setAttribute('aria-label', 'Traffic table');
    this.tableDetails.append(this.table);
    root.append(this.status, this.summary, this.legend, this.chart, this.tableDetails);
    this.render(null);
  }

  /** Draws new data; `message` explains an empty or unavailable chart. */
  render(data: TrafficData | null, message?: string): void {
    const key = data ? JSON.stringify(data) : `none:${message ?? ''}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.chart.replaceChildren();
    this.legend.replaceChildren();
    this.table.replaceChildren();
    this.tableDetails.hidden = !data;
    this.legend.hidden = !data;
    if (!data) {
      this.status.textContent = message ?? 'No requests yet. When an environment receives traffic (a probe, `curl` or `load`), its requests appear here.';
      this.summary.textContent = '';
      return;
    }
    const seconds = Math.round(data.bucketMs / 1000);
    const first = data.buckets[0];
    this.status.textContent = first
      ? `${data.environment}: requests per ${seconds} simulated seconds, ${clockTime(first.start)}–${clockTime(data.now)} UTC`
      : `${data.environment}: no requests in the last minutes.`;
    this.summary.textContent = data.summary;
    data.versions.forEach((v, i) => {
      const { className, fill } = versionFill(i);
      this.legend.append(element('li', {}, swatch(className, fill), ` answered by ${v}`));
    });
    this.legend.append(element('li', {}, swatch('traffic-failed', 'url(#traffic-fill-failed)', true), ' failed (5xx or no answer)'));
    this.chart.append(this.drawChart(data));
    this.table.append(this.drawTable(data));
  }

  private drawChart(data: TrafficData): SVGElement {
    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `Requests to ${data.environment} over simulated time by answering version, failures marked; see the table for the same facts`, preserveAspectRatio: 'none', class: 'traffic-svg' });
    root.append(patternDefs());
    const max = Math.max(1, ...data.buckets.map((b) => b.requests));
    const plotHeight = HEIGHT - TOP - BOTTOM;
    const y = (n: number) => TOP + plotHeight - (n / max) * plotHeight;
    for (const n of [0, Math.round(max / 2), max]) {
      const label = svg('text', { x: LEFT - 6, y: y(n) + 4, 'text-anchor': 'end', class: 'axis' });
      label.textContent = String(n);
      root.append(svg('line', { x1: LEFT, x2: WIDTH, y1: y(n), y2: y(n), class: 'grid' }), label);
    }
    const count = Math.max(data.buckets.length, 12);
    const slot = (WIDTH - LEFT) / count;
    const barWidth = Math.max(1, slot * 0.8);
    data.buckets.forEach((bucket, i) => {
      const x = LEFT + i * slot + (slot - barWidth) / 2;
      const group = svg('g', { class: 'traffic-bar' });
      const title = svg('title');
      title.textContent = `${clockTime(bucket.start)}: ${bucket.requests} requests, ${bucket.failed} failed; ${describeVersions(bucket)}`;
      group.append(title);
      let stacked = 0;
      const layer = (n: number, className: string, fill?: string) => {
        if (n <= 0) return;
        group.append(svg('rect', { x, y: y(stacked + n), width: barWidth, height: y(stacked) - y(stacked + n), class: className, ...(fill ? { fill } : {}) }));
        stacked += n;
      };
      data.versions.forEach((v, vi) => {
        const { className, fill } = versionFill(vi);
        layer(bucket.byVersion[v] ?? 0, className, fill);
      });
      layer(bucket.failed, 'traffic-failed', 'url(#traffic-fill-failed)');
      if (bucket.failed > 0) {
        const cross = svg('text', { x: x + barWidth / 2, y: Math.max(TOP - 2, y(stacked) - 3), 'text-anchor': 'middle', class: 'traffic-marker' });
        cross.textContent = '✕';
        group.append(cross);
      }
      root.append(group);
    });
    const ticks = Math.min(4, data.buckets.length - 1);
    for (let t = 0; t <= ticks && ticks > 0; t++) {
      const i = Math.round((t * (data.buckets.length - 1)) / ticks);
      // The edge labels are anchored inwards so they are not cut off.
      const anchor = t === 0 ? 'start' : t === ticks ? 'end' : 'middle';
      const at = t === 0 ? LEFT + i * slot : t === ticks ? Math.min(WIDTH, LEFT + (i + 1) * slot) : LEFT + i * slot + slot / 2;
      const label = svg('text', { x: at, y: HEIGHT - 6, 'text-anchor': anchor, class: 'axis' });
      label.textContent = clockTime(data.buckets[i]!.start);
      root.append(label);
    }
    return root;
  }

  private drawTable(data: TrafficData): HTMLTableElement {
    const table = element('table');
    table.append(element('caption', { textContent: `Requests to ${data.environment} per ${Math.round(data.bucketMs / 1000)} simulated seconds (UTC), newest first` }));
    const head = element('tr');
    for (const h of ['Time bucket', 'Requests', 'Failures', 'Versions']) head.append(element('th', { scope: 'col', textContent: h }));
    table.append(element('thead', {}, head));
    const body = element('tbody');
    for (const bucket of [...data.buckets].reverse()) {
      body.append(
        element(
          'tr',
          {},
          element('th', { scope: 'row', textContent: `${clockTime(bucket.start)}–${clockTime(bucket.start + data.bucketMs)}` }),
          element('td', { textContent: String(bucket.requests) }),
          element('td', { textContent: String(bucket.failed) }),
          element('td', { textContent: describeVersions(bucket) }),
        ),
      );
    }
    table.append(body);
    return table;
  }
}
