// Site wiring only: MDX chapters, build-time Shiki highlighting in a light and a dark theme, and the dev
// server on the port the README promises. Content lives in content/chapters, schemas in src/course.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { fileURLToPath } from 'node:url';
import { readFileSync, realpathSync } from 'node:fs';

/** Resolves node:zlib to src/workbench/shims/node-zlib.ts in browser bundles (owned by the workbench). */
function browserZlib() {
  const shim = fileURLToPath(new URL('./src/workbench/shims/node-zlib.ts', import.meta.url));
  return {
    name: 'workbench-browser-zlib',
    enforce: 'pre',
    resolveId(id, _importer, options) {
      if ((id === 'node:zlib' || id === 'zlib') && !options?.ssr) return shim;
      return null;
    },
  };
}

/**
 * In browser builds, isomorphic-git's imports of `pako` and `sha.js/sha1.js` come from the workbench's shims:
 * pako on fflate (already in the workbench for zips), and a small SHA-1 without sha.js's Node polyfills.
 */
function isomorphicGitShims() {
  const shims = {
    pako: fileURLToPath(new URL('./src/workbench/shims/pako.ts', import.meta.url)),
    'sha.js/sha1.js': fileURLToPath(new URL('./src/workbench/shims/sha1.ts', import.meta.url)),
  };
  return {
    name: 'workbench-isomorphic-git-shims',
    enforce: 'pre',
    resolveId(id, importer, options) {
      if (!Object.hasOwn(shims, id) || options?.ssr || !importer || !/[\\/]isomorphic-git[\\/]/.test(importer)) return null;
      return shims[id];
    },
  };
}

/**
 * The AWS SDK's browser build parses XML with DOMParser, which Web Workers lack; in the lab worker the
 * SDK uses its own pure-JS parser (the one it ships for Node) instead.
 */
function sdkXmlParserInWorkers() {
  return {
    name: 'workbench-sdk-xml-parser',
    enforce: 'pre',
    async resolveId(id, importer) {
      if (!importer || !/@aws-sdk[\\/]xml-builder[\\/]/.test(importer) || !/^\.\/xml-parser(\.browser)?(\.js)?$/.test(id)) return null;
      return fileURLToPath(new URL('./xml-parser.js', `file://${importer}`));
    },
  };
}

/**
 * Wraps every Markdown table in a focusable, sideways-scrolling box, so wide tables never widen a phone
 * page and keyboard users can scroll them (axe: scrollable-region-focusable).
 */
function rehypeScrollableTables() {
  const visit = (node) => {
    if (!node.children) return;
    node.children = node.children.map((child) => {
      visit(child);
      if (child.type !== 'element' || child.tagName !== 'table') return child;
      return { type: 'element', tagName: 'div', properties: { className: ['table-scroll'], tabIndex: 0 }, children: [child] };
    });
  };
  return (tree) => visit(tree);
}

/**
 * just-bash commands the lab shell leaves out (src/shell/left-out-commands.json, which the shell also reads so Node
 * and the browser offer the same commands): their code is never built into the workbench (about 33 KB gzip).
 */
const LEFT_OUT_JUST_BASH_COMMANDS = JSON.parse(readFileSync(fileURLToPath(new URL('./src/shell/left-out-commands.json', import.meta.url)), 'utf8')).commands;

/** Removes `{name:"<cmd>",load:async()=>(await import("./chunks/…")).…}` registry entries from just-bash's index. */
function withoutCommands(code, names) {
  let out = code;
  for (const name of names) {
    const entry = new RegExp(`\\{name:"${name}",load:async\\(\\)=>\\(await import\\("\\./chunks/[^"]+"\\)\\)\\.\\w+\\},?`, 'g');
    const before = out;
    out = out.replace(entry, '');
    // A just-bash upgrade that renames its registry must fail the build, not silently ship the commands again.
    if (out === before) throw new Error(`astro.config.mjs: just-bash's registry has no entry for "${name}"; update LEFT_OUT_JUST_BASH_COMMANDS`);
  }
  // A removed last entry leaves `…},]`: a trailing comma, which JavaScript allows in array literals.
  return out;
}

/**
 * In the lab worker, just-bash comes from its code-split ESM build (each command is its own chunk, loaded on
 * first use) instead of its single-file browser build, which parses and initialises every command at start.
 * `__BROWSER__` is set as just-bash's browser build sets it, which drops Node-only commands (python3,
 * sqlite3, js-exec, tar) and network pinning; the Node built-ins left in host-filesystem code get stand-ins.
 */
function justBashSplitBuild() {
  // Real path: a symlinked node_modules (pnpm, a shared checkout) is seen by Rollup through its target.
  const bundleDir = `${realpathSync(fileURLToPath(new URL('./node_modules/just-bash/dist/bundle/', import.meta.url)))}/`;
  const builtins = fileURLToPath(new URL('./src/workbench/shims/just-bash-node-builtins.ts', import.meta.url));
  const standIns = new Set(['node:module', 'node:async_hooks', 'node:dns', 'node:crypto', 'node:fs', 'node:fs/promises', 'node:path', 'node:url', 'node:worker_threads']);
  return {
    name: 'workbench-just-bash-split',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id === 'just-bash') return `${bundleDir}index.js`;
      if (importer?.startsWith(bundleDir) && standIns.has(id)) return builtins;
      return null;
    },
    transform(code, id) {
      if (!id.startsWith(bundleDir) || !code.includes('__BROWSER__')) return null;
      let out = code.replace(/typeof __BROWSER__\s*([<>])\s*"u"/g, (_m, op) => (op === '<' ? 'true' : 'false')).replace(/__BROWSER__/g, 'true');
      if (id === `${bundleDir}index.js`) out = withoutCommands(out, LEFT_OUT_JUST_BASH_COMMANDS);
      return { code: out, map: null };
    },
  };
}

/** Names the lab worker's shared chunks (see `worker.rollupOptions` below). */
function workerChunks(id) {
  // CloudWatch and ACM (with the JSON protocol only they speak) load on their first call (src/aws ClientOnFirstUse).
  if (/[\\/]node_modules[\\/]@aws-sdk[\\/]client-(cloudwatch|acm)[\\/]/.test(id) || /[\\/]submodules[\\/]protocols[\\/]json[\\/]/.test(id)) return undefined;
  if (/[\\/]node_modules[\\/]@(aws-sdk|smithy|aws-crypto)[\\/]/.test(id)) return 'aws-sdk';
  if (/[\\/]node_modules[\\/](yaml|fflate)[\\/]/.test(id)) return 'yaml-fflate';
  return undefined;
}

/**
 * With ACADEMY_BUNDLE_REPORT=<file.json>, appends what each built chunk (page, workbench and worker builds)
 * is made of: per module, its rendered length, so a size regression can be traced to the import that caused it.
 */
function bundleReport() {
  const target = process.env.ACADEMY_BUNDLE_REPORT;
  return {
    name: 'academy-bundle-report',
    async generateBundle(_options, bundle) {
      if (!target) return;
      const { appendFileSync } = await import('node:fs');
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const modules = Object.entries(chunk.modules).map(([id, m]) => ({ id, length: m.renderedLength })).filter((m) => m.length > 0);
        appendFileSync(target, `${JSON.stringify({ chunk: chunk.fileName, entry: chunk.isEntry, dynamic: chunk.isDynamicEntry, imports: chunk.imports, dynamicImports: chunk.dynamicImports, modules })}\n`);
      }
    },
  };
}

export default defineConfig({
  site: 'http://localhost:4321',
  integrations: [mdx()],
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  server: { host: '127.0.0.1', port: 4321 },
  markdown: {
    rehypePlugins: [rehypeScrollableTables],
    shikiConfig: {
      // Both themes are emitted as CSS variables (src/layouts/global.css picks one per data-theme); the
      // *-default GitHub themes keep every token colour at WCAG AA contrast on their backgrounds.
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      defaultColor: false,
      wrap: false,
    },
  },
  vite: {
    // Lab pages start the sandbox cloud in a Web Worker; ES workers allow code splitting there.
    // just-bash's browser build imports node:zlib: the workbench's fflate shim stands in outside SSR.
    plugins: [browserZlib(), isomorphicGitShims(), bundleReport()],
    build: { minify: 'terser', terserOptions: { compress: { passes: 2 }, format: { comments: false } } },
    worker: {
      format: 'es',
      plugins: () => [browserZlib(), isomorphicGitShims(), justBashSplitBuild(), sdkXmlParserInWorkers(), bundleReport()],
      // The AWS SDK clients load together (the worker preloads them after the prompt): one chunk compresses
      // better than the dozen Rollup would cut along each client's command imports. YAML and fflate, which the
      // sandbox cloud needs at start (and the SDK's request compression shares), get their own chunk so that
      // starting the cloud never pulls in the SDK's.
      rollupOptions: { output: { manualChunks: workerChunks } },
    },
  },
});
