import { describe, it, expect } from 'vitest';
import { EditorState } from '@codemirror/state';
import { syntaxTree, ensureSyntaxTree } from '@codemirror/language';
import { loadLanguage, languageFor, type LanguageId } from './languages.ts';

describe('loadLanguage', () => {
  const samples: Array<[string, string]> = [
    ['.ebextensions/01-options.config', 'option_settings:\n  aws:elasticbeanstalk:application:environment:\n    NODE_ENV: production\n'],
    ['package.json', '{ "scripts": { "start": "node server.js" } }\n'],
    ['application.py', 'from flask import Flask\napplication = Flask(__name__)\n'],
    ['server.js', "const port = process.env.PORT || 8080;\n"],
    ['handler.ts', 'export const port: number = 8080;\n'],
    ['.platform/hooks/predeploy/01.sh', '#!/bin/bash\necho "$PORT"\n'],
    ['Procfile', 'web: node server.js\n'],
    ['.platform/nginx/conf.d/upload.conf', 'client_max_body_size 20M;\n'],
    ['Dockerfile', 'FROM node:22\nEXPOSE 8080\n'],
    ['pyproject.toml', '[project]\nname = "pettracker"\n'],
  ];

  it.each(samples)('highlights %s: its grammar loads and parses the file into tokens', async (path, text) => {
    const id: LanguageId = languageFor(path);
    expect(id).not.toBe('text');
    const state = EditorState.create({ doc: text, extensions: [await loadLanguage(id)] });
    const tree = ensureSyntaxTree(state, state.doc.length, 5_000) ?? syntaxTree(state);
    let named = 0;
    tree.iterate({ enter: (node) => void (node.type.name && !node.type.isTop && named++) });
    expect(named).toBeGreaterThan(0);
  });

  it('gives plain text no grammar', async () => {
    expect(await loadLanguage('text')).toEqual([]);
  });
});
