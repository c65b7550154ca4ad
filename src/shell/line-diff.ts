// Line diffs for `git diff` and `git commit`'s counts: Myers' shortest edit script, rendered as unified
// diff hunks with three lines of context, the way git prints them.

export type DiffOp = { kind: 'same' | 'add' | 'del'; text: string };

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script turning `a` into `b` (Myers 1986, linear space is not needed for lab-sized files). */
export function diffLines(a: string[], b: string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v);
  // Walk back through the recorded frontiers to recover the path.
  const ops: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const frontier = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && frontier[offset + k - 1] < frontier[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : frontier[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: 'same', text: a[--x] }), y--;
    if (d === 0) break;
    if (down) ops.push({ kind: 'add', text: b[--y] });
    else ops.push({ kind: 'del', text: a[--x] });
  }
  while (x > 0 && y > 0) ops.push({ kind: 'same', text: a[--x] }), y--;
  return ops.reverse();
}

export function countChanges(ops: DiffOp[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const op of ops) {
    if (op.kind === 'add') added++;
    else if (op.kind === 'del') removed++;
  }
  return { added, removed };
}

/** Unified diff hunks (`@@ -a,b +c,d @@` and the lines), without file headers. Empty when equal. */
export function unifiedHunks(oldText: string, newText: string, context = 3): string {
  // A last line without a newline differs from the same line with one, as in git.
  const NO_EOL = '\u0000';
  const lines = (text: string) => {
    const out = splitLines(text);
    if (text !== '' && !text.endsWith('\n')) out[out.length - 1] += NO_EOL;
    return out;
  };
  const a = lines(oldText);
  const b = lines(newText);
  const ops = diffLines(a, b);
  const rows = [] as { op: DiffOp; ai: number; bi: number }[];
  let ai = 0;
  let bi = 0;
  for (const op of ops) {
    rows.push({ op, ai, bi });
    if (op.kind !== 'add') ai++;
    if (op.kind !== 'del') bi++;
  }
  const changed = rows.map((r, i) => (r.op.kind === 'same' ? -1 : i)).filter((i) => i >= 0);
  let out = '';
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && changed[end + 1] - changed[end] <= context * 2 + 1) end++;
    const from = Math.max(0, changed[start] - context);
    const to = Math.min(rows.length - 1, changed[end] + context);
    const slice = rows.slice(from, to + 1);
    const oldCount = slice.filter((r) => r.op.kind !== 'add').length;
    const newCount = slice.filter((r) => r.op.kind !== 'del').length;
    const oldStart = oldCount === 0 ? slice[0].ai : slice[0].ai + 1;
    const newStart = newCount === 0 ? slice[0].bi : slice[0].bi + 1;
    out += `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@${functionContext(a, slice[0].ai)}\n`;
    for (const r of slice) {
      const sign = r.op.kind === 'same' ? ' ' : r.op.kind === 'add' ? '+' : '-';
      const noEol = r.op.text.endsWith(NO_EOL);
      out += `${sign}${noEol ? r.op.text.slice(0, -1) : r.op.text}\n`;
      if (noEol) out += '\\ No newline at end of file\n';
    }
    start = end + 1;
  }
  return out;
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

/** git's default hunk-header context: the nearest line above the hunk that starts with a letter, `_` or `$`. */
function functionContext(lines: string[], hunkStart: number): string {
  for (let i = hunkStart - 1; i >= 0; i--) if (/^[A-Za-z_$]/.test(lines[i])) return ` ${lines[i].slice(0, 80)}`;
  return '';
}
