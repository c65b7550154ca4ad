// Guards the workbench's download size: zod validates labs at build time and in Node tools, but nothing the
// browser loads (the lab page's script, the lab worker, and everything they import, lazily or not) may import it.
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const ENTRIES = ['src/workbench/lab-page.ts', 'src/workbench/worker.ts'];

/** Module specifiers a file loads at run time: value imports, re-exports, side-effect and dynamic imports. */
export function runtimeImports(source: string): string[] {
  const out: string[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/^\s*(import|export)\s+([^'"]*?)\s*from\s*['"]([^'"]+)['"]/gm)) {
    if (/^type\b/.test(m[2])) continue;
    out.push(m[3]);
  }
  for (const m of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

/** Every path from an entry to a module that imports `pkg`, as `a.ts -> b.ts -> pkg`. */
function chainsTo(pkg: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const queue: { file: string; chain: string[] }[] = ENTRIES.map((e) => ({ file: join(ROOT, e), chain: [e] }));
  while (queue.length > 0) {
    const { file, chain } = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
      if (spec === pkg || spec.startsWith(`${pkg}/`)) found.push([...chain, spec].join(' -> '));
      if (!spec.startsWith('.')) continue;
      const target = join(dirname(file), spec);
      if (existsSync(target) && /\.ts$/.test(target)) queue.push({ file: target, chain: [...chain, relative(ROOT, target)] });
    }
  }
  return found;
}

describe('what the browser loads', () => {
  it('reads value, side-effect and dynamic imports, and skips type-only ones', () => {
    const source = `import type { A } from './a.ts';\nimport { b, type C } from './b.ts';\nexport type { D } from './d.ts';\nexport { e } from './e.ts';\nimport './f.ts';\n// import { g } from './g.ts';\nconst h = () => import('./h.ts');`;
    expect(runtimeImports(source).sort()).toEqual(['./b.ts', './e.ts', './f.ts', './h.ts']);
  });

  it('never imports zod (labs arrive validated; attempt files have a hand-written reader)', () => {
    expect(chainsTo('zod')).toEqual([]);
  });
});
