// Which syntax a workspace file gets in the editor, by name; each language loads only when first needed.
import type { Extension } from '@codemirror/state';
import type { StreamParser } from '@codemirror/language';

export type LanguageId = 'yaml' | 'json' | 'python' | 'javascript' | 'typescript' | 'shell' | 'properties' | 'nginx' | 'dockerfile' | 'toml' | 'text';

/** Picks the language from the file name (`Procfile`, `.ebextensions/x.config`, `app.py`, ...). */
export function languageFor(path: string): LanguageId {
  const name = path.split('/').pop() ?? path;
  const lower = name.toLowerCase();
  if (lower === 'procfile' || lower === 'buildfile' || lower.endsWith('.ini') || lower.endsWith('.cfg') || lower.endsWith('.properties') || lower === '.env' || lower.startsWith('.env.') || lower === '.ebignore' || lower === '.gitignore' || lower === 'requirements.txt') return 'properties';
  if (lower === 'dockerfile' || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (/\.(ya?ml)$/.test(lower)) return 'yaml';
  // .ebextensions/*.config files are YAML (or JSON, which YAML highlighting reads fine).
  if (lower.endsWith('.config') && path.includes('.ebextensions/')) return 'yaml';
  if (lower.endsWith('.config')) return 'yaml';
  if (/\.(json|jsonc)$/.test(lower) || lower === '.babelrc') return 'json';
  if (/\.(py|pyw)$/.test(lower)) return 'python';
  if (/\.(ts|tsx|mts|cts)$/.test(lower)) return 'typescript';
  if (/\.(js|jsx|mjs|cjs)$/.test(lower)) return 'javascript';
  if (/\.(sh|bash)$/.test(lower) || lower === '.bashrc') return 'shell';
  if (lower.endsWith('.conf') && path.includes('nginx')) return 'nginx';
  if (lower.endsWith('.conf')) return 'nginx';
  if (lower.endsWith('.toml')) return 'toml';
  return 'text';
}

/**
 * Each language's CodeMirror stream mode (tokens, comments; new lines keep the previous line's indentation), its
 * module loaded on first use: about 1-5 KB gzip each, where the Lezer grammars cost 13 KB (YAML, with the LR
 * runtime) to 52 KB (JavaScript + Python), for syntax-tree extras lab files of a few dozen lines do not need.
 */
const STREAM_MODES: Record<Exclude<LanguageId, 'text'>, () => Promise<StreamParser<unknown>>> = {
  yaml: () => import('@codemirror/legacy-modes/mode/yaml').then((m) => m.yaml),
  json: () => import('@codemirror/legacy-modes/mode/javascript').then((m) => m.json),
  python: () => import('@codemirror/legacy-modes/mode/python').then((m) => m.python),
  javascript: () => import('@codemirror/legacy-modes/mode/javascript').then((m) => m.javascript),
  typescript: () => import('@codemirror/legacy-modes/mode/javascript').then((m) => m.typescript),
  shell: () => import('@codemirror/legacy-modes/mode/shell').then((m) => m.shell),
  properties: () => import('@codemirror/legacy-modes/mode/properties').then((m) => m.properties),
  nginx: () => import('@codemirror/legacy-modes/mode/nginx').then((m) => m.nginx),
  dockerfile: () => import('@codemirror/legacy-modes/mode/dockerfile').then((m) => m.dockerFile),
  toml: () => import('@codemirror/legacy-modes/mode/toml').then((m) => m.toml),
};

/** The CodeMirror extension for a language (dynamic imports keep unused modes out of the first load). */
export async function loadLanguage(id: LanguageId): Promise<Extension> {
  if (id === 'text') return [];
  const [{ StreamLanguage }, parser] = await Promise.all([import('@codemirror/language'), STREAM_MODES[id]()]);
  return StreamLanguage.define(parser);
}
