// Draws the deployment timeline: a lane per instance (version, health colour, batch, in/out of service),
// the events underneath, a replay cursor, and a table with the same facts for screen readers.
import { stateAt, type TimelineData, type TimelineSegment } from './timeline-data.ts';
import { element, svg } from '../dom.ts';

const LANE_HEIGHT = 30;
const LABEL_WIDTH = 150;
const AXIS_HEIGHT = 22;

export function healthClass(health: string | undefined): string {
  switch ((health ?? '').toLowerCase()) {
    case 'ok':
    case 'green':
      return 'ok';
    case 'info':
      return 'info';
    case 'warning':
    case 'yellow':
      return 'warning';
    case 'degraded':
      return 'degraded';
    case 'severe':
    case 'red':
      return 'severe';
    default:
      return 'pending';
  }
}

/** Clock time of a simulated instant, HH:MM:SS in UTC (the cloud's events are in UTC). */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function offset(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `+${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

function describeSegment(s: TimelineSegment | undefined): string {
  if (!s) return 'not running';
  const parts = [s.version ? `version ${s.version}` : 'no version yet', `health ${s.health ?? 'unknown'}`];
  if (s.batch !== undefined) parts.push(`batch ${s.batch}`);
  if (s.inService !== undefined) parts.push(s.inService ? 'in service' : 'out of service');
  if (s.state) parts.push(s.state);
  return parts.join(', ');
}



export class TimelineView {
  private data: TimelineData | null = null;
  private readonly chart: HTMLElement;
  private readonly status: HTMLElement;
  private readonly events: HTMLOListElement;
  private readonly table: HTMLElement;
  private readonly tableDetails: HTMLDetailsElement;
  private readonly replayButton: HTMLButtonElement;
  private replayFrame = 0;
  private cursorLine: SVGElement | null = null;
  private lastKey = '';

  constructor(private readonly root: HTMLElement) {
    root.classList.add('timeline');
    this.status = element('p', { className: 'timeline-status' });
    this.replayButton = element('button', { type: 'button', className: 'secondary', textContent: 'Replay' });
    this.replayButton.addEventListener('click', () => this.replay());
    this.chart = element('div', { className: 'timeline-chart' });
    // Focusable, so keyboard users can scroll the list (axe: scrollable-region-focusable).
    this.events = element('ol', { className: 'timeline-events', tabIndex: 0 });
    this.events.setAttribute('aria-label', 'Deployment events, newest first');
    this.tableDetails = element('details', { className: 'timeline-table' }, element('summary', { textContent: 'Timeline as a table' }));
    this.table = element('div');
    this.tableDetails.append(this.table);
    root.append(element('div', { className: 'timeline-toolbar' }, this.status, this.replayButton), this.chart, element('h3', { className: 'sr-heading', textContent: 'Events (newest first)' }), this.events, this.tableDetails);
    this.render(null, 'No deployment yet. Run `eb create` or `eb deploy` and the instances appear here.');
  }

  /** Draws new data; `message` explains an empty or unavailable timeline. */
  render(data: TimelineData | null, message?: string): void {
    // Polling redraws only on change, so a replay in progress and the reader's place are kept.
    const key = data ? JSON.stringify(data) : `none:${message ?? ''}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    cancelAnimationFrame(this.replayFrame);
    this.data = data;
    this.replayButton.disabled = !data || data.lanes.length === 0;
    this.chart.replaceChildren();
    this.events.replaceChildren();
    this.table.replaceChildren();
    this.cursorLine = null;
    this.tableDetails.hidden = !data;
    if (!data) {
      this.status.textContent = message ?? 'No timeline.';
      return;
    }
    const span = Math.max(1, data.end - data.start);
    const now = [data.status, data.health].filter(Boolean).join(', ');
    this.status.textContent = `${data.environment}${now ? ` (${now})` : ''}: ${data.lanes.length} instance${data.lanes.length === 1 ? '' : 's'}, ${clockTime(data.start)}–${clockTime(data.end)} UTC (simulated)`;
    this.chart.append(this.drawChart(data, span));
    // Newest first, as the EB console lists them.
    for (const event of data.events.slice(-60).reverse()) {
      const li = element('li', { className: `sev-${event.severity.toLowerCase()}` });
      li.append(element('time', { dateTime: new Date(event.at).toISOString(), textContent: clockTime(event.at) }), ` ${event.severity} `, event.message);
      this.events.append(li);
    }
    this.table.append(this.drawTable(data));
  }

  private drawChart(data: TimelineData, span: number): SVGElement {
    const width = 800;
    const height = AXIS_HEIGHT + data.lanes.length * LANE_HEIGHT + 4;
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Instances over time for ${data.environment}; see the table below for the same facts`, preserveAspectRatio: 'none', class: 'timeline-svg' });
    const x = (t: number) => LABEL_WIDTH + ((t - data.start) / span) * (width - LABEL_WIDTH - 6);
    for (let i = 0; i <= 4; i++) {
      const t = data.start + (span * i) / 4;
      const tick = svg('text', { x: x(t), y: 14, class: 'axis', 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' });
      tick.textContent = offset(t - data.start);
      root.append(tick, svg('line', { x1: x(t), x2: x(t), y1: AXIS_HEIGHT - 4, y2: height, class: 'grid' }));
    }
    data.lanes.forEach((lane, row) => {
      const y = AXIS_HEIGHT + row * LANE_HEIGHT;
      const label = svg('text', { x: 4, y: y + LANE_HEIGHT / 2 + 4, class: 'lane-label' });
      label.textContent = lane.instanceId;
      root.append(label);
      for (const segment of lane.segments) {
        const x1 = x(segment.from);
        const w = Math.max(1.5, x(segment.to) - x1);
        const rect = svg('rect', { x: x1, y: y + 4, width: w, height: LANE_HEIGHT - 10, rx: 3, class: `seg health-${healthClass(segment.health)}${segment.inService === false ? ' out-of-service' : ''}` });
        const title = svg('title', {});
        title.textContent = `${lane.instanceId} ${clockTime(segment.from)}–${clockTime(segment.to)}: ${describeSegment(segment)}`;
        rect.append(title);
        root.append(rect);
        const caption = [segment.version, segment.batch !== undefined ? `B${segment.batch}` : ''].filter(Boolean).join(' · ');
        if (caption && w > caption.length * 6.5 + 6) {
          const t = svg('text', { x: x1 + 4, y: y + LANE_HEIGHT / 2 + 3, class: 'seg-label' });
          t.textContent = caption;
          root.append(t);
        }
      }
    });
    this.cursorLine = svg('line', { x1: LABEL_WIDTH, x2: LABEL_WIDTH, y1: AXIS_HEIGHT - 4, y2: height, class: 'replay-cursor', visibility: 'hidden' });
    root.append(this.cursorLine);
    return root;
  }

  private drawTable(data: TimelineData): HTMLTableElement {
    const table = element('table');
    table.append(element('caption', { textContent: `Instance states for ${data.environment} (simulated UTC times)` }));
    const head = element('tr');
    for (const h of ['Instance', 'From', 'To', 'Version', 'Health', 'Batch', 'Load balancer']) head.append(element('th', { scope: 'col', textContent: h }));
    table.append(element('thead', {}, head));
    const body = element('tbody');
    for (const lane of data.lanes) {
      for (const s of lane.segments) {
        const row = element('tr');
        row.append(
          element('th', { scope: 'row', textContent: lane.instanceId }),
          element('td', { textContent: clockTime(s.from) }),
          element('td', { textContent: clockTime(s.to) }),
          element('td', { textContent: s.version ?? '—' }),
          element('td', { textContent: s.health ?? 'unknown' }),
          element('td', { textContent: s.batch === undefined ? '—' : String(s.batch) }),
          element('td', { textContent: s.inService === undefined ? '—' : s.inService ? 'in service' : 'out of service' }),
        );
        body.append(row);
      }
    }
    table.append(body);
    return table;
  }

  /** Sweeps a cursor over the deployment in about six seconds, saying what each instance was doing. */
  replay(): void {
    const data = this.data;
    if (!data || !this.cursorLine) return;
    cancelAnimationFrame(this.replayFrame);
    const line = this.cursorLine;
    const svgRoot = line.ownerSVGElement;
    const width = 800;
    const started = performance.now();
    const duration = 6000;
    line.setAttribute('visibility', 'visible');
    const step = (nowMs: number) => {
      const f = Math.min(1, (nowMs - started) / duration);
      const at = data.start + f * (data.end - data.start);
      const px = LABEL_WIDTH + f * (width - LABEL_WIDTH - 6);
      line.setAttribute('x1', String(px));
      line.setAttribute('x2', String(px));
      this.status.textContent = `${clockTime(at)}: ${stateAt(data, at).map((l) => `${l.instanceId} ${describeSegment(l.segment)}`).join('; ')}`;
      if (f < 1 && svgRoot?.isConnected) this.replayFrame = requestAnimationFrame(step);
      else line.setAttribute('visibility', 'hidden');
    };
    this.replayFrame = requestAnimationFrame(step);
  }
}
