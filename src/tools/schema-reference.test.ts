import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { withReference, renderSchemaReference } from './schema-reference.ts';
import { CHECK_KINDS } from '../course/lab-schema.ts';

describe('the lab format reference in docs/authoring.md', () => {
  it('matches the schemas (run `node bin/academy.mjs schema-docs --write` after changing them)', () => {
    const doc = readFileSync(new URL('../../docs/authoring.md', import.meta.url), 'utf8');
    expect(withReference(doc)).toBe(doc);
  });

  it('documents every check kind and every param description', () => {
    const reference = renderSchemaReference();
    for (const kind of CHECK_KINDS) expect(reference).toContain(`#### \`${kind}\``);
    expect(reference).toContain('| `params.mustInclude` | list of object | no (default `[]`) |');
    expect(reference).toContain('| `expect.hintLevel` | `nudge` \\| `concept` \\| `fix` | yes |');
  });
});
