// The part of JMESPath that `aws --query` is used for in labs: fields, indexes, slices, `[*]`/`[]`
// projections, filters (`[?Status=='Ready']`, &&, ||, !), multiselect lists and hashes, pipes, literals,
import { CliDouble, unboxDouble } from './render.ts';
// and the functions length, sort, sort_by, max_by, min_by, contains, starts_with, join, keys, values, to_string.

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

type Token = { kind: string; value?: unknown; pos: number };

const SINGLE: Record<string, string> = {
  '.': 'dot',
  '*': 'star',
  ',': 'comma',
  ':': 'colon',
  '{': 'lbrace',
  '}': 'rbrace',
  ']': 'rbracket',
  '(': 'lparen',
  ')': 'rparen',
  '@': 'current',
  '&': 'expref',
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = i;
    if (/[A-Za-z_]/.test(ch)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j])) j++;
      tokens.push({ kind: 'name', value: text.slice(i, j), pos });
      i = j;
    } else if (ch === '"') {
      const end = findClose(text, i, '"');
      tokens.push({ kind: 'name', value: JSON.parse(text.slice(i, end + 1)), pos });
      i = end + 1;
    } else if (ch === "'") {
      const end = findClose(text, i, "'");
      tokens.push({ kind: 'literal', value: text.slice(i + 1, end).replace(/\\'/g, "'"), pos });
      i = end + 1;
    } else if (ch === '`') {
      const end = findClose(text, i, '`');
      const raw = text.slice(i + 1, end).replace(/\\`/g, '`');
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw; // JMESPath allows bare strings in backticks
      }
      tokens.push({ kind: 'literal', value, pos });
      i = end + 1;
    } else if (/[0-9-]/.test(ch)) {
      let j = i + 1;
      while (j < text.length && /[0-9]/.test(text[j])) j++;
      if (text.slice(i, j) === '-') throw new QueryError(`Bad jmespath expression: unexpected '-' at ${i}`);
      tokens.push({ kind: 'number', value: Number(text.slice(i, j)), pos });
      i = j;
    } else if (ch === '[') {
      if (text[i + 1] === ']') (tokens.push({ kind: 'flatten', pos }), (i += 2));
      else if (text[i + 1] === '?') (tokens.push({ kind: 'filter', pos }), (i += 2));
      else (tokens.push({ kind: 'lbracket', pos }), i++);
    } else if (ch === '|' && text[i + 1] === '|') (tokens.push({ kind: 'or', pos }), (i += 2));
    else if (ch === '|') (tokens.push({ kind: 'pipe', pos }), i++);
    else if (ch === '&' && text[i + 1] === '&') (tokens.push({ kind: 'and', pos }), (i += 2));
    else if (ch === '=' && text[i + 1] === '=') (tokens.push({ kind: 'cmp', value: '==', pos }), (i += 2));
    else if (ch === '!' && text[i + 1] === '=') (tokens.push({ kind: 'cmp', value: '!=', pos }), (i += 2));
    else if (ch === '<' || ch === '>') {
      const op = text[i + 1] === '=' ? `${ch}=` : ch;
      tokens.push({ kind: 'cmp', value: op, pos });
      i += op.length;
    } else if (ch === '!') (tokens.push({ kind: 'not', pos }), i++);
    else if (SINGLE[ch]) (tokens.push({ kind: SINGLE[ch], pos }), i++);
    else throw new QueryError(`Bad jmespath expression: unknown token '${ch}' at position ${i}`);
  }
  tokens.push({ kind: 'eof', pos: text.length });
  return tokens;
}

function findClose(text: string, start: number, quote: string): number {
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return j;
  }
  throw new QueryError(`Bad jmespath expression: unclosed ${quote} at position ${start}`);
}

type Node =
  | { type: 'field'; name: string }
  | { type: 'current' }
  | { type: 'literal'; value: unknown }
  | { type: 'index'; index: number }
  | { type: 'slice'; start?: number; stop?: number; step?: number }
  | { type: 'sub'; left: Node; right: Node }
  | { type: 'project'; left: Node; right: Node }
  | { type: 'valueProject'; left: Node; right: Node }
  | { type: 'flatten'; left: Node; right: Node }
  | { type: 'filter'; left: Node; condition: Node; right: Node }
  | { type: 'pipe'; left: Node; right: Node }
  | { type: 'or' | 'and'; left: Node; right: Node }
  | { type: 'not'; expr: Node }
  | { type: 'cmp'; op: string; left: Node; right: Node }
  | { type: 'multiList'; items: Node[] }
  | { type: 'multiHash'; entries: [string, Node][] }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'expref'; expr: Node };

const BP: Record<string, number> = { eof: 0, rparen: 0, rbracket: 0, rbrace: 0, comma: 0, colon: 0, pipe: 1, or: 2, and: 3, cmp: 5, flatten: 9, star: 20, filter: 21, dot: 40, not: 45, lbrace: 50, lbracket: 55, lparen: 60 };

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  parse(): Node {
    const node = this.expression(0);
    if (this.peek().kind !== 'eof') this.fail(this.peek());
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private expect(kind: string): Token {
    const token = this.next();
    if (token.kind !== kind) this.fail(token, kind);
    return token;
  }
  private fail(token: Token, wanted?: string): never {
    throw new QueryError(`Bad jmespath expression: ${wanted ? `expected ${wanted}, found` : 'unexpected'} ${token.kind === 'eof' ? 'end of expression' : `'${this.text.slice(token.pos, token.pos + 8)}'`} at position ${token.pos}`);
  }

  private expression(rbp: number): Node {
    let left = this.nud(this.next());
    while (rbp < (BP[this.peek().kind] ?? 0)) left = this.led(this.next(), left);
    return left;
  }

  private nud(token: Token): Node {
    switch (token.kind) {
      case 'name':
        if (this.peek().kind === 'lparen') {
          this.next();
          const args: Node[] = [];
          while (this.peek().kind !== 'rparen') {
            args.push(this.expression(0));
            if (this.peek().kind === 'comma') this.next();
          }
          this.next();
          return { type: 'call', name: String(token.value), args };
        }
        return { type: 'field', name: String(token.value) };
      case 'literal':
        return { type: 'literal', value: token.value };
      case 'current':
        return { type: 'current' };
      case 'expref':
        return { type: 'expref', expr: this.expression(BP.dot) };
      case 'not':
        return { type: 'not', expr: this.expression(BP.not) };
      case 'lparen': {
        const inner = this.expression(0);
        this.expect('rparen');
        return inner;
      }
      case 'star':
        return { type: 'valueProject', left: { type: 'current' }, right: this.projectionRhs(BP.star) };
      case 'flatten':
        return { type: 'flatten', left: { type: 'current' }, right: this.projectionRhs(BP.flatten) };
      case 'filter':
        return this.filter({ type: 'current' });
      case 'lbrace':
        return this.multiHash();
      case 'lbracket': {
        const kind = this.peek().kind;
        if (kind === 'number' || kind === 'colon') return this.indexOrSlice({ type: 'current' });
        if (kind === 'star' && this.tokens[this.i + 1].kind === 'rbracket') {
          this.i += 2;
          return { type: 'project', left: { type: 'current' }, right: this.projectionRhs(BP.star) };
        }
        return this.multiList();
      }
      default:
        return this.fail(token);
    }
  }

  private led(token: Token, left: Node): Node {
    switch (token.kind) {
      case 'dot': {
        if (this.peek().kind === 'star') {
          this.next();
          return { type: 'valueProject', left, right: this.projectionRhs(BP.star) };
        }
        if (this.peek().kind === 'lbracket') {
          this.next();
          return { type: 'sub', left, right: this.multiList() };
        }
        if (this.peek().kind === 'lbrace') {
          this.next();
          return { type: 'sub', left, right: this.multiHash() };
        }
        return { type: 'sub', left, right: this.nud(this.expect('name')) };
      }
      case 'pipe':
        return { type: 'pipe', left, right: this.expression(BP.pipe) };
      case 'or':
        return { type: 'or', left, right: this.expression(BP.or) };
      case 'and':
        return { type: 'and', left, right: this.expression(BP.and) };
      case 'cmp':
        return { type: 'cmp', op: String(token.value), left, right: this.expression(BP.cmp) };
      case 'flatten':
        return { type: 'flatten', left, right: this.projectionRhs(BP.flatten) };
      case 'filter':
        return this.filter(left);
      case 'lbracket': {
        const kind = this.peek().kind;
        if (kind === 'star') {
          this.next();
          this.expect('rbracket');
          return { type: 'project', left, right: this.projectionRhs(BP.star) };
        }
        return this.indexOrSlice(left);
      }
      default:
        return this.fail(token);
    }
  }

  private filter(left: Node): Node {
    const condition = this.expression(0);
    this.expect('rbracket');
    return { type: 'filter', left, condition, right: this.projectionRhs(BP.filter) };
  }

  private indexOrSlice(left: Node): Node {
    const parts: (number | undefined)[] = [undefined];
    let colons = 0;
    while (this.peek().kind !== 'rbracket') {
      const token = this.next();
      if (token.kind === 'colon') {
        colons++;
        parts.push(undefined);
      } else if (token.kind === 'number') parts[colons] = Number(token.value);
      else this.fail(token);
    }
    this.next();
    const right: Node = colons === 0 ? { type: 'index', index: parts[0] ?? 0 } : { type: 'slice', start: parts[0], stop: parts[1], step: parts[2] };
    if (right.type === 'slice') return { type: 'project', left: { type: 'sub', left, right }, right: this.projectionRhs(BP.star) };
    return { type: 'sub', left, right };
  }

  private projectionRhs(rbp: number): Node {
    const kind = this.peek().kind;
    if ((BP[kind] ?? 0) < 10) return { type: 'current' };
    if (kind === 'lbracket' || kind === 'filter' || kind === 'flatten') return this.expression(rbp);
    if (kind === 'dot') {
      this.next();
      if (this.peek().kind === 'lbracket') {
        this.next();
        return this.multiList();
      }
      if (this.peek().kind === 'lbrace') {
        this.next();
        return this.multiHash();
      }
      if (this.peek().kind === 'star') {
        this.next();
        return { type: 'valueProject', left: { type: 'current' }, right: this.projectionRhs(BP.star) };
      }
      let node = this.nud(this.expect('name'));
      while (rbp < (BP[this.peek().kind] ?? 0) && (BP[this.peek().kind] ?? 0) >= 10) node = this.led(this.next(), node);
      return node;
    }
    return this.fail(this.peek());
  }

  private multiList(): Node {
    const items: Node[] = [];
    for (;;) {
      items.push(this.expression(0));
      const token = this.next();
      if (token.kind === 'rbracket') break;
      if (token.kind !== 'comma') this.fail(token, "',' or ']'");
    }
    return { type: 'multiList', items };
  }

  private multiHash(): Node {
    const entries: [string, Node][] = [];
    for (;;) {
      const key = this.expect('name');
      this.expect('colon');
      entries.push([String(key.value), this.expression(0)]);
      const token = this.next();
      if (token.kind === 'rbrace') break;
      if (token.kind !== 'comma') this.fail(token, "',' or '}'");
    }
    return { type: 'multiHash', entries };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const truthy = (v: unknown) => !(v === null || v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0));

function evaluate(node: Node, value: unknown): unknown {
  switch (node.type) {
    case 'current':
      return value;
    case 'literal':
      return node.value;
    case 'field':
      return isObject(value) ? (value[node.name] ?? null) : null;
    case 'index': {
      if (!Array.isArray(value)) return null;
      const i = node.index < 0 ? value.length + node.index : node.index;
      return value[i] ?? null;
    }
    case 'slice': {
      if (!Array.isArray(value)) return null;
      const step = node.step ?? 1;
      if (step === 0) throw new QueryError('Bad jmespath expression: slice step cannot be 0');
      const norm = (n: number | undefined, fallback: number) => (n === undefined ? fallback : n < 0 ? Math.max(step < 0 ? -1 : 0, value.length + n) : Math.min(n, step < 0 ? value.length - 1 : value.length));
      const out: unknown[] = [];
      if (step > 0) for (let i = norm(node.start, 0); i < norm(node.stop, value.length); i += step) out.push(value[i]);
      else for (let i = norm(node.start, value.length - 1); i > norm(node.stop, -1); i += step) out.push(value[i]);
      return out;
    }
    case 'sub': {
      const left = evaluate(node.left, value);
      return left === null || left === undefined ? null : evaluate(node.right, left);
    }
    case 'pipe':
      return evaluate(node.right, evaluate(node.left, value));
    case 'project':
    case 'flatten':
    case 'filter':
    case 'valueProject': {
      let base = evaluate(node.left, value);
      if (node.type === 'valueProject') {
        if (!isObject(base)) return null;
        base = Object.values(base);
      } else if (node.type === 'flatten') {
        if (!Array.isArray(base)) return null;
        base = base.flatMap((item) => (Array.isArray(item) ? item : [item]));
      }
      if (!Array.isArray(base)) return null;
      const items = node.type === 'filter' ? base.filter((item) => truthy(evaluate(node.condition, item))) : base;
      return items.map((item) => evaluate(node.right, item)).filter((v) => v !== null && v !== undefined);
    }
    case 'or': {
      const left = evaluate(node.left, value);
      return truthy(left) ? left : evaluate(node.right, value);
    }
    case 'and': {
      const left = evaluate(node.left, value);
      return truthy(left) ? evaluate(node.right, value) : left;
    }
    case 'not':
      return !truthy(evaluate(node.expr, value));
    case 'cmp': {
      // Doubles (CliDouble) compare as the numbers they are.
      const a = unboxDouble(evaluate(node.left, value));
      const b = unboxDouble(evaluate(node.right, value));
      if (node.op === '==') return JSON.stringify(a) === JSON.stringify(b);
      if (node.op === '!=') return JSON.stringify(a) !== JSON.stringify(b);
      if (typeof a !== 'number' || typeof b !== 'number') {
        if (typeof a === 'string' && typeof b === 'string') return node.op === '<' ? a < b : node.op === '<=' ? a <= b : node.op === '>' ? a > b : a >= b;
        return null;
      }
      return node.op === '<' ? a < b : node.op === '<=' ? a <= b : node.op === '>' ? a > b : a >= b;
    }
    case 'multiList':
      return value === null || value === undefined ? null : node.items.map((item) => evaluate(item, value));
    case 'multiHash':
      return value === null || value === undefined ? null : Object.fromEntries(node.entries.map(([key, expr]) => [key, evaluate(expr, value)]));
    case 'expref':
      return node;
    case 'call':
      return callFunction(node.name, node.args, value);
  }
}

function callFunction(name: string, args: Node[], value: unknown): unknown {
  const arg = (i: number) => evaluate(args[i], value);
  const byKey = (list: unknown, ref: Node) => {
    if (!Array.isArray(list)) throw new QueryError(`${name}() needs an array`);
    const expr = ref.type === 'expref' ? ref.expr : ref;
    return list.map((item) => ({ item, key: evaluate(expr, item) as number | string }));
  };
  switch (name) {
    case 'length': {
      const v = arg(0);
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (isObject(v)) return Object.keys(v).length;
      throw new QueryError('length() needs a string, array or object');
    }
    case 'sort': {
      const v = arg(0);
      if (!Array.isArray(v)) throw new QueryError('sort() needs an array');
      return [...v].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    case 'sort_by':
      return byKey(arg(0), args[1])
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((e) => e.item);
    case 'max_by':
    case 'min_by': {
      const keyed = byKey(arg(0), args[1]);
      if (keyed.length === 0) return null;
      return keyed.reduce((best, e) => ((name === 'max_by' ? e.key > best.key : e.key < best.key) ? e : best)).item;
    }
    case 'contains': {
      const subject = arg(0);
      const search = arg(1);
      if (typeof subject === 'string') return typeof search === 'string' && subject.includes(search);
      return Array.isArray(subject) && subject.some((item) => JSON.stringify(item) === JSON.stringify(search));
    }
    case 'starts_with':
      return typeof arg(0) === 'string' && (arg(0) as string).startsWith(String(arg(1)));
    case 'ends_with':
      return typeof arg(0) === 'string' && (arg(0) as string).endsWith(String(arg(1)));
    case 'join': {
      const list = arg(1);
      if (!Array.isArray(list)) throw new QueryError('join() needs an array of strings');
      return list.join(String(arg(0)));
    }
    case 'keys':
      return isObject(arg(0)) ? Object.keys(arg(0) as object) : null;
    case 'values':
      return isObject(arg(0)) ? Object.values(arg(0) as object) : null;
    case 'to_string': {
      const v = arg(0);
      return typeof v === 'string' ? v : JSON.stringify(v);
    }
    case 'to_number': {
      const n = Number(arg(0));
      return Number.isNaN(n) ? null : n;
    }
    case 'max':
    case 'min': {
      const list = numbersOrStrings(arg(0), name);
      if (list.length === 0) return null;
      return list.reduce((best, v) => ((name === 'max' ? unboxDouble(v)! > unboxDouble(best)! : unboxDouble(v)! < unboxDouble(best)!) ? v : best));
    }
    case 'sum':
    case 'avg': {
      const list = numbers(arg(0), name);
      if (name === 'avg' && list.length === 0) return null;
      const total = list.reduce((acc: number, v) => acc + (unboxDouble(v) as number), 0);
      const result = name === 'sum' ? total : total / list.length;
      // Python: a sum of floats is a float, and an average always is.
      return name === 'avg' || list.some((v) => v instanceof CliDouble) ? new CliDouble(result) : result;
    }
    case 'abs':
    case 'ceil':
    case 'floor': {
      const v = arg(0);
      const n = unboxDouble(v);
      if (typeof n !== 'number') throw new QueryError(`${name}() needs a number`);
      const out = name === 'abs' ? Math.abs(n) : name === 'ceil' ? Math.ceil(n) : Math.floor(n);
      return name === 'abs' && v instanceof CliDouble ? new CliDouble(out) : out;
    }
    case 'reverse': {
      const v = arg(0);
      if (typeof v === 'string') return [...v].reverse().join('');
      if (!Array.isArray(v)) throw new QueryError('reverse() needs an array or a string');
      return [...v].reverse();
    }
    case 'not_null': {
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (v !== null && v !== undefined) return v;
      }
      return null;
    }
    case 'type': {
      const v = arg(0);
      if (v === null || v === undefined) return 'null';
      if (typeof v === 'number' || v instanceof CliDouble) return 'number';
      if (Array.isArray(v)) return 'array';
      return typeof v === 'object' ? 'object' : typeof v;
    }
    default:
      throw new QueryError(
        `Unknown function: ${name}() (supported: length, sort, sort_by, max, min, max_by, min_by, sum, avg, abs, ceil, floor, reverse, not_null, type, contains, starts_with, ends_with, join, keys, values, to_string, to_number)`,
      );
  }
}

function numbers(v: unknown, name: string): unknown[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' || x instanceof CliDouble)) throw new QueryError(`${name}() needs an array of numbers`);
  return v;
}

function numbersOrStrings(v: unknown, name: string): unknown[] {
  if (!Array.isArray(v)) throw new QueryError(`${name}() needs an array of numbers or of strings`);
  if (v.every((x) => typeof x === 'string')) return v;
  return numbers(v, name);
}

/** Compiles a --query expression once; throws QueryError with the position of a mistake. */
export function compileQuery(expression: string): (data: unknown) => unknown {
  const ast = new Parser(tokenize(expression), expression).parse();
  return (data) => evaluate(ast, data);
}
