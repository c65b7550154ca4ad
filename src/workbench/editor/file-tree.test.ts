import { describe, it, expect } from 'vitest';
import { buildTree, validateName } from './file-tree.ts';
import { languageFor } from './languages.ts';

describe('buildTree', () => {
  it('nests files under their folders, folders first, and keeps empty folders', () => {
    const tree = buildTree(['application.py', '.ebextensions/options.config', 'Procfile', '.platform/hooks/predeploy/01.sh'], ['static']);
    expect(tree.map((n) => n.name)).toEqual(['.ebextensions', '.platform', 'static', 'application.py', 'Procfile']);
    expect(tree[1].children[0].children[0].children[0].path).toBe('.platform/hooks/predeploy/01.sh');
    expect(tree[2].children).toEqual([]);
  });
});

describe('validateName', () => {
  const existing = new Set(['Procfile', '.ebextensions', '.ebextensions/options.config']);
  it('accepts new relative paths, and the current name when renaming', () => {
    expect(validateName('.ebextensions/proxy.config', existing)).toBeNull();
    expect(validateName('Procfile', existing, 'Procfile')).toBeNull();
  });
  it('says why a name cannot be used', () => {
    expect(validateName('', existing)).toMatch(/Type a name/);
    expect(validateName('/etc/passwd', existing)).toMatch(/leading "\/"/);
    expect(validateName('../outside', existing)).toMatch(/"\.\."/);
    expect(validateName('a//b', existing)).toMatch(/empty part/);
    expect(validateName('Procfile', existing)).toBe('"Procfile" already exists.');
  });
});

describe('languageFor', () => {
  it('picks the syntax a learner expects for EB project files', () => {
    expect(languageFor('Procfile')).toBe('properties');
    expect(languageFor('.ebextensions/01-options.config')).toBe('yaml');
    expect(languageFor('.elasticbeanstalk/config.yml')).toBe('yaml');
    expect(languageFor('package.json')).toBe('json');
    expect(languageFor('application.py')).toBe('python');
    expect(languageFor('server.js')).toBe('javascript');
    expect(languageFor('src/app.ts')).toBe('typescript');
    expect(languageFor('.platform/hooks/predeploy/01_migrate.sh')).toBe('shell');
    expect(languageFor('.platform/nginx/conf.d/proxy.conf')).toBe('nginx');
    expect(languageFor('README.md')).toBe('text');
  });
});
