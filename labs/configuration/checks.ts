// Custom checks for the configuration lab: the bundle an environment runs carries no configuration (no .env,
// no DATABASE_URL in .ebextensions), and production runs the very version staging tested.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { strFromU8, unzipSync } from 'fflate';
import { defineChecks, listVersions, requireEnvironment } from '../../src/checks/index.ts';
import type { CheckOutcome, Evidence } from '../../src/checks/index.ts';

export default defineChecks({
  'config-not-in-bundle': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const application = String(params.application);
    const names = (params.names as string[] | undefined) ?? ['DATABASE_URL', 'MODEL_PATH'];
    const expected = `The version ${environment} runs sets none of ${names.join(', ')} in its files: the environment supplies them.`;
    const env = await requireEnvironment(ctx, environment, expected);
    const label = env.VersionLabel;
    const version = label ? (await listVersions(ctx, application)).find((v) => v.VersionLabel === label) : undefined;
    const source = version?.SourceBundle;
    if (!label || !source?.S3Bucket || !source.S3Key) {
      return { pass: false, expected, found: `${environment} runs no application version of yours yet.`, reason: 'no-version', hintLevel: 'nudge' };
    }
    const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: source.S3Bucket, Key: source.S3Key }));
    const bytes = await object.Body!.transformToByteArray();
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes);
    } catch {
      return { pass: false, expected, found: `Version ${label} is not a zip file.`, reason: 'not-a-zip', hintLevel: 'fix' };
    }
    const hits: { path: string; name: string; line: number; text: string }[] = [];
    for (const [path, content] of Object.entries(files)) {
      if (path.endsWith('/')) continue;
      const base = path.split('/').pop() ?? path;
      const isEnvFile = /^\.env(\..+)?$/.test(base);
      const isConfig = /^\.ebextensions\/[^/]+\.config$/.test(path);
      if (!isEnvFile && !isConfig) continue;
      const lines = strFromU8(content).split(/\r?\n/);
      lines.forEach((text, i) => {
        for (const name of names) {
          // A value assigned in the file (`NAME=...`, `NAME: ...`, or `option_name: NAME`); secret references are fine.
          if (new RegExp(`(^|\\s|")${name}"?\\s*[:=]\\s*\\S|option_name:\\s*"?${name}\\b`).test(text) && !/environmentsecrets/.test(lines.slice(0, i).join('\n'))) {
            hits.push({ path, name, line: i + 1, text: text.trim() });
          }
        }
      });
    }
    if (hits.length === 0) return { pass: true, expected, found: `Version ${label} sets none of ${names.join(', ')} in its files.` };
    const evidence: Evidence[] = hits.map((h) => ({ kind: 'file', text: h.text, source: `${label}: ${h.path}:${h.line}` }));
    const dotenv = hits.find((h) => !h.path.startsWith('.ebextensions/'));
    if (dotenv) {
      return {
        pass: false,
        expected,
        found: `Version ${label} ships ${dotenv.path}, which sets ${dotenv.name}. Nothing on the instance reads it, and every copy of the bundle in S3 keeps it.`,
        reason: 'dotenv',
        hintLevel: 'fix',
        evidence,
      };
    }
    return {
      pass: false,
      expected,
      found: `Version ${label} sets ${[...new Set(hits.map((h) => h.name))].join(' and ')} in ${hits[0].path}, so every environment that runs this bundle gets the same value.`,
      reason: 'in-ebextensions',
      hintLevel: 'concept',
      evidence,
    };
  },

  'same-version-everywhere': async (params, ctx): Promise<CheckOutcome> => {
    const staging = String(params.staging);
    const production = String(params.production);
    const expected = `${production} runs the same application version as ${staging}, the one you tested there.`;
    const s = await requireEnvironment(ctx, staging, expected);
    const p = await requireEnvironment(ctx, production, expected);
    const evidence: Evidence[] = [
      { kind: 'setting', text: `${staging}: ${s.VersionLabel ?? '(sample application)'}`, source: 'DescribeEnvironments' },
      { kind: 'setting', text: `${production}: ${p.VersionLabel ?? '(sample application)'}`, source: 'DescribeEnvironments' },
    ];
    if (s.VersionLabel && s.VersionLabel === p.VersionLabel) {
      return { pass: true, expected, found: `Both run ${s.VersionLabel}.`, evidence };
    }
    return {
      pass: false,
      expected,
      found: `${staging} runs ${s.VersionLabel ?? 'no version'}, ${production} runs ${p.VersionLabel ?? 'no version'}.`,
      reason: 'different-versions',
      hintLevel: 'concept',
      evidence,
    };
  },
});
