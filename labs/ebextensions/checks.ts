// Custom checks for the ebextensions lab: the migration is a leader_only container command, and nginx's upload
// limit is raised by a file in .platform/nginx/conf.d. No built-in kind reads container_commands or nginx files.
import { parseDocument } from 'yaml';
import { defineChecks, fileEvidence, readWorkspaceText } from '../../src/checks/index.ts';
import type { CheckContext, CheckOutcome, Evidence } from '../../src/checks/index.ts';
import { joinPath, listFiles } from '../../src/workspace/fs.ts';

async function workspaceFiles(ctx: CheckContext, dir: string): Promise<string[]> {
  const abs = joinPath(ctx.workspaceDir, dir);
  if (!(await ctx.fs.exists(abs)) || !(await ctx.fs.stat(abs)).isDirectory) return [];
  return (await listFiles(ctx.fs, abs)).map((p) => `${dir}/${p}`);
}

interface ConfigCommand {
  file: string;
  key: 'commands' | 'container_commands';
  name: string;
  command: string;
  leaderOnly: unknown;
  ignoreErrors: unknown;
  evidence: Evidence;
}

/** Commands and container_commands of every .ebextensions/*.config file; an invalid file is returned as such. */
async function configCommands(ctx: CheckContext): Promise<{ commands: ConfigCommand[]; invalid?: { file: string; line: number; text: string } }> {
  const commands: ConfigCommand[] = [];
  const files = (await workspaceFiles(ctx, '.ebextensions')).filter((f) => /^\.ebextensions\/[^/]+\.config$/.test(f)).sort();
  for (const file of files) {
    const text = (await readWorkspaceText(ctx, file)) ?? '';
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
      const offset = doc.errors[0].pos[0];
      return { commands, invalid: { file, line: text.slice(0, offset).split('\n').length, text } };
    }
    const data = doc.toJS() as Record<string, unknown> | null;
    for (const key of ['commands', 'container_commands'] as const) {
      const section = data?.[key];
      if (!section || typeof section !== 'object') continue;
      for (const [name, body] of Object.entries(section as Record<string, unknown>)) {
        const entry = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
        const command = Array.isArray(entry.command) ? entry.command.join(' ') : String(entry.command ?? '');
        const at = text.indexOf(`${name}:`);
        commands.push({ file, key, name, command, leaderOnly: entry.leader_only, ignoreErrors: entry.ignoreErrors, evidence: fileEvidence(file, text, Math.max(0, at)) });
      }
    }
  }
  return { commands };
}

const isTrue = (v: unknown) => v === true || (typeof v === 'string' && v.toLowerCase() === 'true');

/** Parses an nginx size (`20M`, `512k`, `1g`, `1048576`) to bytes; undefined when it is not one. */
function nginxSize(value: string): number | undefined {
  const m = /^(\d+)([kKmMgG]?)$/.exec(value);
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

export default defineChecks({
  'migration-runs-once': async (params, ctx): Promise<CheckOutcome> => {
    const pattern = new RegExp(String(params.pattern ?? '\\bmigrate\\b'));
    const expected = 'A container_commands entry runs the migration with leader_only: true, so it runs once per deployment.';
    const { commands, invalid } = await configCommands(ctx);
    if (invalid) {
      return {
        pass: false,
        expected,
        found: `${invalid.file} is not valid YAML${/\t/.test(invalid.text) ? ' (it has a tab where YAML needs spaces)' : ''}, so Elastic Beanstalk fails the deployment before any command runs.`,
        reason: 'invalid-config',
        hintLevel: 'fix',
        evidence: [{ kind: 'file', text: invalid.text.split('\n')[invalid.line - 1] ?? '', source: `${invalid.file}:${invalid.line}` }],
      };
    }
    const migrations = commands.filter((c) => pattern.test(c.command));
    const container = migrations.filter((c) => c.key === 'container_commands');
    if (migrations.length === 0) {
      return { pass: false, expected, found: 'No command in .ebextensions runs the migration (python -m app.migrate).', reason: 'no-migration', hintLevel: 'nudge' };
    }
    if (container.length === 0) {
      const c = migrations[0];
      return {
        pass: false,
        expected,
        found: `${c.file} runs the migration as commands.${c.name}: commands run before the application is set up, with / as the working directory, so app.migrate is not there yet.`,
        reason: 'in-commands',
        hintLevel: 'concept',
        evidence: [c.evidence],
      };
    }
    const notLeader = container.find((c) => !isTrue(c.leaderOnly));
    if (notLeader) {
      return {
        pass: false,
        expected,
        found: `container_commands.${notLeader.name} in ${notLeader.file} has no leader_only: true, so every instance runs the migration against the same database.`,
        reason: 'not-leader-only',
        hintLevel: 'fix',
        evidence: [notLeader.evidence],
      };
    }
    const ignoring = container.find((c) => isTrue(c.ignoreErrors));
    if (ignoring) {
      return {
        pass: false,
        expected: `${expected} A failed migration stops the deployment.`,
        found: `container_commands.${ignoring.name} in ${ignoring.file} sets ignoreErrors: true, so a failed migration would deploy code that needs the new table anyway.`,
        reason: 'ignores-errors',
        hintLevel: 'fix',
        evidence: [ignoring.evidence],
      };
    }
    const c = container[0];
    return { pass: true, expected, found: `container_commands.${c.name} in ${c.file} runs \`${c.command}\` with leader_only: true.`, evidence: [c.evidence] };
  },

  'nginx-upload-size': async (params, ctx): Promise<CheckOutcome> => {
    const minimum = String(params.atLeast ?? '10M');
    const minBytes = nginxSize(minimum) ?? 10 * 1024 ** 2;
    const expected = `A .conf file in .platform/nginx/conf.d/ sets client_max_body_size to at least ${minimum}.`;
    const candidates = [...(await workspaceFiles(ctx, '.platform')), ...(await workspaceFiles(ctx, '.ebextensions'))];
    const found: { file: string; text: string; offset: number; value: string }[] = [];
    for (const file of candidates) {
      const text = (await readWorkspaceText(ctx, file)) ?? '';
      const m = /client_max_body_size\s+([^;\s]*)\s*(;?)/.exec(text);
      if (m) found.push({ file, text, offset: m.index, value: m[2] ? m[1] : '' });
    }
    if (found.length === 0) {
      return { pass: false, expected, found: 'No file in .platform sets client_max_body_size; nginx keeps its 1 MB default and answers 413 to larger photos.', reason: 'missing', hintLevel: 'nudge' };
    }
    const inConfD = found.filter((f) => /^\.platform\/nginx\/conf\.d\//.test(f.file));
    const replacement = found.find((f) => f.file === '.platform/nginx/nginx.conf');
    const usable = [...inConfD, ...(replacement ? [replacement] : [])];
    if (usable.length === 0) {
      const f = found[0];
      return {
        pass: false,
        expected,
        found: `${f.file} sets client_max_body_size, but nginx on Amazon Linux 2023 only reads your files from .platform/nginx/conf.d/ (or a full .platform/nginx/nginx.conf).`,
        reason: 'wrong-place',
        hintLevel: 'concept',
        evidence: [fileEvidence(f.file, f.text, f.offset)],
      };
    }
    const f = usable[0];
    const evidence = [fileEvidence(f.file, f.text, f.offset)];
    if (f !== replacement && !f.file.endsWith('.conf')) {
      return { pass: false, expected, found: `${f.file} does not end in .conf, so nginx does not include it.`, reason: 'wrong-extension', hintLevel: 'fix', evidence };
    }
    if (f === replacement && !/include\s+conf\.d\/elasticbeanstalk\/\*\.conf\s*;/.test(f.text)) {
      return { pass: false, expected, found: `${f.file} replaces nginx's configuration without \`include conf.d/elasticbeanstalk/*.conf;\`, which connects nginx to your app.`, reason: 'lost-include', hintLevel: 'fix', evidence };
    }
    if (!f.value) {
      return { pass: false, expected, found: `${f.file} has client_max_body_size without a value and a closing semicolon; nginx -t rejects it.`, reason: 'invalid-directive', hintLevel: 'fix', evidence };
    }
    const bytes = nginxSize(f.value);
    if (bytes === undefined) {
      return { pass: false, expected, found: `${f.file} sets client_max_body_size to ${f.value}, which nginx cannot read as a size (use e.g. 20M).`, reason: 'invalid-directive', hintLevel: 'fix', evidence };
    }
    if (bytes < minBytes) {
      return { pass: false, expected, found: `${f.file} sets client_max_body_size to ${f.value}, less than ${minimum}.`, reason: 'too-small', hintLevel: 'fix', evidence };
    }
    return { pass: true, expected, found: `${f.file} sets client_max_body_size to ${f.value}.`, evidence };
  },
});
