// `academy schema-docs [--write]`: checks (or rewrites) the generated lab format reference in docs/authoring.md.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { withReference } from './schema-reference.ts';
import { parseArgs, InputError, type ToolIo } from './io.ts';

export async function runSchemaDocs(argv: string[], io: ToolIo): Promise<number> {
  const args = parseArgs(argv, { boolean: ['write', 'help'], value: ['file'] }, 'schema-docs');
  if (args.flags.has('help')) {
    io.stdout('usage: academy schema-docs [--write] [--file docs/authoring.md]\n\nChecks that the lab format reference in docs/authoring.md matches the schemas; --write regenerates it.\n');
    return 0;
  }
  const file = resolve(io.cwd, String(args.flags.get('file') ?? 'docs/authoring.md'));
  let doc: string;
  try {
    doc = await readFile(file, 'utf8');
  } catch {
    throw new InputError(`academy schema-docs: cannot read ${file}`);
  }
  const updated = withReference(doc);
  if (updated === doc) {
    io.stdout(`${file}: the lab format reference is up to date.\n`);
    return 0;
  }
  if (args.flags.has('write')) {
    await writeFile(file, updated);
    io.stdout(`${file}: lab format reference regenerated.\n`);
    return 0;
  }
  io.stderr(`${file}: the lab format reference is out of date with src/course/lab-schema.ts; run \`node bin/academy.mjs schema-docs --write\`.\n`);
  return 1;
}
