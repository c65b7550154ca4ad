// The AWS CLI's three output formats for a response: json (4-space indent, ISO timestamps), text
// (tab-separated rows named by their key, as awscli's text formatter) and table (boxed sections).

import { Scalar } from 'yaml';

export type OutputFormat = 'json' | 'text' | 'table';

/**
 * A number the service model types as a double. The CLI (Python) prints those as floats, `10.0` where
 * JavaScript would print `10`; --query compares and sorts it as a number (valueOf, toJSON).
 */
export class CliDouble {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
  /** Python's repr() of a float. */
  toString(): string {
    const n = this.value;
    if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
    const abs = Math.abs(n);
    if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
    return Number.isInteger(n) ? n.toFixed(1) : String(n);
  }
}

/** Python's float repr for doubles; everything else unchanged. */
export const unboxDouble = (v: unknown): unknown => (v instanceof CliDouble ? v.value : v);

/**
 * Drops the SDK's $metadata and turns Dates into the CLI's timestamp form. Numbers under a key in `doubles`
 * (and every number inside such a key's lists and maps) become CliDouble.
 */
export function toCliValue(value: unknown, doubles: ReadonlySet<string> = new Set(), inDouble = false): unknown {
  // Python's isoformat(), which the CLI prints: microseconds only when there are any.
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, '+00:00').replace(/\.(\d{3})Z$/, '.$1000+00:00');
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (typeof value === 'number') return inDouble ? new CliDouble(value) : value;
  if (Array.isArray(value)) return value.map((v) => toCliValue(v, doubles, inDouble));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === '$metadata' || v === undefined) continue;
      out[key] = toCliValue(v, doubles, inDouble || doubles.has(key));
    }
    return out;
  }
  return value;
}

const isScalar = (v: unknown) => v === null || typeof v !== 'object' || v instanceof CliDouble;
const scalarText = (v: unknown) => (v === null || v === undefined ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** JSON with doubles written as Python writes floats (`10.0`). */
function json(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(
    value,
    function (this: Record<string, unknown>, key: string, v: unknown) {
      const raw = this[key];
      if (raw instanceof CliDouble) {
        marks.push(raw.toString());
        return `\u0000double${marks.length - 1}`;
      }
      return v;
    },
    4,
  );
  return marks.length ? text.replace(/"\\u0000double(\d+)"/g, (_, i: string) => marks[Number(i)]) : text;
}

/** The value for the yaml library: doubles as float scalars (`8.0`), as the CLI's YAML output writes them. */
export function yamlValue(value: unknown): unknown {
  if (value instanceof CliDouble) {
    const scalar = new Scalar(value.value);
    scalar.minFractionDigits = 1;
    return scalar;
  }
  if (Array.isArray(value)) return value.map(yamlValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, yamlValue(v)]));
  return value;
}

export function render(value: unknown, format: OutputFormat, title: string): string {
  if (format === 'json') return value === null || value === undefined ? (value === null ? 'null\n' : '') : `${json(value)}\n`;
  if (format === 'text') {
    const lines: string[] = [];
    text(value, undefined, lines);
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
  return table(value, title);
}

function text(value: unknown, identifier: string | undefined, out: string[]): void {
  const prefix = identifier ? [identifier.toUpperCase()] : [];
  if (isScalar(value)) {
    out.push(scalarText(value));
    return;
  }
  if (Array.isArray(value)) {
    if (value.every(isScalar)) {
      if (value.length) out.push([...prefix, ...value.map(scalarText)].join('\t'));
      return;
    }
    for (const item of value) {
      if (isScalar(item)) out.push([...prefix, scalarText(item)].join('\t'));
      else if (Array.isArray(item)) text(item, identifier, out);
      else text(item, identifier, out);
    }
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  const scalars = entries.filter(([, v]) => isScalar(v));
  if (scalars.length) out.push([...prefix, ...scalars.map(([, v]) => scalarText(v))].join('\t'));
  for (const [key, v] of entries) if (!isScalar(v)) text(v, key, out);
}

/** Boxed table: a title, key/value rows for objects, a column grid for lists of objects, nested sections below. */
function table(value: unknown, title: string): string {
  const blocks: { depth: number; rows: string[][]; header?: string[]; title: string }[] = [];
  const walk = (v: unknown, name: string, depth: number) => {
    if (isScalar(v)) {
      blocks.push({ depth, title: name, rows: [[scalarText(v)]] });
      return;
    }
    if (Array.isArray(v)) {
      if (v.every(isScalar)) {
        blocks.push({ depth, title: name, rows: v.map((item) => [scalarText(item)]) });
        return;
      }
      const objects = v.filter((item) => !isScalar(item) && !Array.isArray(item)) as Record<string, unknown>[];
      const columns = [...new Set(objects.flatMap((o) => Object.keys(o).filter((k) => isScalar(o[k]))))];
      if (columns.length) blocks.push({ depth, title: name, header: columns, rows: objects.map((o) => columns.map((c) => (c in o ? scalarText(o[c]) : ''))) });
      else blocks.push({ depth, title: name, rows: [] });
      for (const o of objects) for (const [key, child] of Object.entries(o)) if (!isScalar(child)) walk(child, key, depth + 1);
      for (const item of v) if (Array.isArray(item)) walk(item, name, depth + 1);
      return;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    const scalars = entries.filter(([, child]) => isScalar(child));
    blocks.push({ depth, title: name, rows: scalars.map(([key, child]) => [key, scalarText(child)]) });
    for (const [key, child] of entries) if (!isScalar(child)) walk(child, key, depth + 1);
  };
  walk(value, title, 0);
  const width = Math.max(
    ...blocks.map((b) => {
      const cols = Math.max(1, ...[b.header ?? [], ...b.rows].map((r) => r.length));
      const colWidths = columnWidths(b);
      return Math.max(b.title.length + 4, colWidths.reduce((s, w) => s + w + 3, 0) + 1, cols) + b.depth * 2;
    }),
  );
  const out: string[] = [];
  for (const block of blocks) {
    const inner = width - block.depth * 2;
    const wrap = (line: string) => `${'|'.repeat(block.depth)}${line}${'|'.repeat(block.depth)}`;
    out.push(wrap(`${'-'.repeat(inner)}`));
    out.push(wrap(`|${center(block.title, inner - 2)}|`));
    const widths = columnWidths(block);
    const total = widths.reduce((s, w) => s + w + 3, 0) + 1;
    if (widths.length) widths[widths.length - 1] += inner - total;
    const separator = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
    out.push(wrap(separator));
    if (block.header) {
      out.push(wrap(`|${block.header.map((h, i) => center(h, widths[i] + 2)).join('|')}|`));
      out.push(wrap(separator));
    }
    for (const row of block.rows) out.push(wrap(`|${row.map((cell, i) => ` ${cell.padEnd(widths[i])} `).join('|')}|`));
    if (block.rows.length || block.header) out.push(wrap(separator));
  }
  return `${out.join('\n')}\n`;
}

function columnWidths(block: { rows: string[][]; header?: string[] }): number[] {
  const all = [...(block.header ? [block.header] : []), ...block.rows];
  const count = Math.max(0, ...all.map((r) => r.length));
  return Array.from({ length: count }, (_, i) => Math.max(1, ...all.map((r) => (r[i] ?? '').length)));
}

function center(text: string, width: number): string {
  const left = Math.max(0, Math.floor((width - text.length) / 2));
  return `${' '.repeat(left)}${text}`.padEnd(width);
}
