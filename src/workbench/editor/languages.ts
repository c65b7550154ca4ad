// Which syntax a workspace file gets in the editor, by name; each language loads only when first needed.
import type { Extension } from '@codemirror/state';

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

/** The CodeMirror extension for a language (dynamic imports keep unused grammars out of the first load). */
export async function loadLanguage(id: LanguageId): Promise<Extension> {
  switch (id) {
    case 'yaml':
      return (await import('@codemirror/lang-yaml')).yaml();
    case 'json':
      return (await import('@codemirror/lang-json')).json();
    // JavaScript, TypeScript and Python use CodeMirror's stream modes (tokens, indentation, comments): about 9 KB
    // gzip instead of the 52 KB of the Lezer grammars, whose syntax-tree extras (folding, completion) lab files
    // of a few dozen lines do not need. YAML and JSON, the files learners edit most, keep their Lezer grammars.
    case 'python': {
      const [{ StreamLanguage }, { python }] = await Promise.all([import('@codemirror/language'), import('@codemirror/legacy-modes/mode/python')]);
      return StreamLanguage.define(python);
    }
    case 'javascript': {
      const [{ StreamLanguage }, { javascript }] = await Promise.all([import('@codemirror/language'), import('@codemirror/legacy-modes/mode/javascript')]);
      return StreamLanguage.define(javascript);
    }
    case 'typescript': {
      const [{ StreamLanguage }, { typescript }] = await Promise.all([import('@codemirror/language'), import('@codemirror/legacy-modes/mode/javascript')]);
      return StreamLanguage.define(typescript);
    }
    case 'shell': {
      const [{ StreamLanguage }, { shell }] = await Promise.all([import('@codemirror/language'), import('@codemirror/legacy-modes/mode/shell')]);
      return StreamLanguage.define(shell);
    }
    case 'properties': {
      const [{ StreamLanguage }, { properties }] = await Promise.all([import('@codemirror/language'), import('@codemirror/legacy-modes/mode/properties')]);
      return StreamLanguage.define(properties);
    }
    case 'nginx': {
      const [{ StreamLanguage }, { nginx }] = await Promise.all([import('@codemirror/language'), import('@codemirror/legacy-modes/mode/nginx')]);
      return StreamLanguage.define(nginx);
    }
    case 'dockerfile': {
      const [{ StreamLanguage }, { dockerFile }] = await Promise.all([import('@codemirror/language'), import('@codemirror/legacy-modes/mode/dockerfile')]);
      return StreamLanguage.define(dockerFile);
    }
    case 'toml': {
      const [{ StreamLanguage }, { toml }] = await Promise.all([import('@codemirror/language'), import('@codemirror/legacy-modes/mode/toml')]);
      return StreamLanguage.define(toml);
    }
    default:
      return [];
  }
}
