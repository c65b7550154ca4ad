// `academy new-lab <lab-id> --chapter <slug>`: scaffolds a complete, small lab (lab.yaml, starter,
// solution with solve.sh, two wrong answers) that `academy verify` accepts as is, for the author to reshape.
import { mkdir, writeFile, access } from 'node:fs/promises';
import { join, resolve, dirname } from 'node:path';
import { CHAPTER_SLUGS } from '../course/chapter-schema.ts';
import { parseArgs, InputError, UsageError, type ToolIo } from './io.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function titleOf(id: string): string {
  return id.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
}

/** The scaffold's files, keyed by path relative to the lab folder. */
export function scaffoldFiles(id: string, chapter: string, platform: string): Record<string, string> {
  const app = 'pettracker-web';
  return {
    'lab.yaml': `# ${titleOf(id)}: every field is described in docs/authoring.md ("Lab format reference").
# Run \`npm run verify -- ${id}\` after each change: the starter must fail, solve.sh must pass,
# and each wrong/<name>/ must fail its declared check at its declared hint level.
id: ${id}
title: ${titleOf(id)}
chapter: ${chapter}
estimatedMinutes: 10
objectives:
  - Create the ${app} application with the EB CLI.
platform: ${platform}
# The cloud the lab starts from (applications, versions, environments); empty: a new account.
preset: {}
steps:
  - title: Create the application
    body: |
      Maya wants the web app registered with Elastic Beanstalk before anything else.
      In the terminal, run \`eb init\` with the platform and the application name.
    commands:
      - eb init -p ${platform} ${app} --region us-east-1
checks:
  - id: project-initialised
    title: The project is set up for the EB CLI
    kind: file-exists
    points: 1
    params:
      path: .elasticbeanstalk/config.yml
    hints:
      nudge: How does the EB CLI remember which application this folder belongs to?
      concept:
        text: eb init writes .elasticbeanstalk/config.yml, which every later eb command reads.
        href: /chapters/${chapter}/
      fix: Run \`eb init -p ${platform} ${app} --region us-east-1\` in the project folder.
  - id: application-created
    title: The ${app} application exists
    kind: application-exists
    points: 2
    params:
      application: ${app}
    hints:
      nudge: Is the application you created called exactly ${app}?
      concept:
        text: An Elastic Beanstalk application is the named folder for your versions and environments.
        href: /chapters/${chapter}/
      fix: Run \`eb init -p ${platform} ${app} --region us-east-1\`.
`,
    'starter/package.json': JSON.stringify({ name: app, version: '1.0.0', private: true, main: 'server.js', scripts: { start: 'node server.js' } }, null, 2) + '\n',
    'starter/server.js': `const http = require('http');\n\nconst port = process.env.PORT || 8080;\nhttp\n  .createServer((req, res) => {\n    res.writeHead(200, { 'content-type': 'text/plain' });\n    res.end('PetTracker is up\\n');\n  })\n  .listen(port);\n`,
    'solution/solve.sh': `# The commands a learner types to solve the lab; verify runs them in the lab shell.\neb init -p ${platform} ${app} --region us-east-1\n`,
    'wrong/skipped-init/wrong.yaml': `description: The learner skips eb init, so nothing is set up.\nexpect:\n  check: project-initialised\n  hintLevel: nudge\n`,
    'wrong/skipped-init/solve.sh': `# Nothing run: the learner forgot eb init.\ntrue\n`,
    'wrong/misnamed-app/wrong.yaml': `description: The learner types the application name with an underscore.\nexpect:\n  check: application-created\n  hintLevel: fix\n`,
    'wrong/misnamed-app/solve.sh': `eb init -p ${platform} pettracker_web --region us-east-1\n`,
  };
}

export const NEW_LAB_HELP = `usage: academy new-lab <lab-id> --chapter <slug> [--platform <eb-platform>] [--labs-dir <dir>]

Scaffolds labs/<lab-id>/ with a lab.yaml, a starter, a solution with solve.sh and two wrong answers,
which \`academy verify <lab-id>\` accepts as is. Reshape it into your lab, verifying as you go.

  --chapter <slug>      the chapter the lab belongs to (content/chapters/<slug>.mdx)
  --platform <name>     EB CLI platform name (default node.js-22)
  --labs-dir <dir>      where the labs are (default: ./labs)
`;

export async function runNewLab(argv: string[], io: ToolIo): Promise<number> {
  const args = parseArgs(argv, { boolean: ['help'], value: ['chapter', 'platform', 'labs-dir'] }, 'new-lab');
  if (args.flags.has('help')) {
    io.stdout(NEW_LAB_HELP);
    return 0;
  }
  const [id, ...extra] = args.positionals;
  if (!id) throw new UsageError('academy new-lab: name the lab, e.g. academy new-lab rolling-deploy --chapter deployment-strategies');
  if (extra.length) throw new UsageError(`academy new-lab: one lab at a time (unexpected ${extra.join(' ')})`);
  if (!SLUG.test(id)) throw new UsageError(`academy new-lab: lab id "${id}" must be kebab-case (lower-case letters, digits, single hyphens)`);
  const chapter = args.flags.get('chapter');
  if (typeof chapter !== 'string') throw new UsageError('academy new-lab: --chapter <slug> is required (the chapter file content/chapters/<slug>.mdx)');
  if (!(CHAPTER_SLUGS as readonly string[]).includes(chapter)) throw new UsageError(`academy new-lab: "${chapter}" is not a chapter; chapters: ${CHAPTER_SLUGS.join(', ')}`);
  const platform = String(args.flags.get('platform') ?? 'node.js-22');
  const dir = join(resolve(io.cwd, String(args.flags.get('labs-dir') ?? 'labs')), id);
  try {
    await access(dir);
    throw new InputError(`academy new-lab: ${dir} already exists; choose another id or remove it first`);
  } catch (err) {
    if (err instanceof InputError) throw err;
  }
  const files = scaffoldFiles(id, chapter, platform);
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content, { mode: path.endsWith('.sh') ? 0o755 : 0o644 });
  }
  io.stdout(`Created ${dir} (${Object.keys(files).length} files).\nNext: edit lab.yaml, then run: npm run verify -- ${id}\n`);
  return 0;
}
