// The lab manifest format (labs/<lab-id>/lab.yaml and wrong/<name>/wrong.yaml): zod schemas whose fields
// describe themselves, so docs/authoring.md's reference is generated from them and errors say what is allowed.
import { z } from 'zod';
import { CHAPTER_SLUGS } from './chapter-schema.ts';

/** How far up Maya's hint ladder a failed check points the learner: from a gentle nudge to the exact fix. */
export const HINT_LEVELS = ['nudge', 'concept', 'fix'] as const;
export type HintLevel = (typeof HINT_LEVELS)[number];

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single hyphens (kebab-case), e.g. "procfile-web"');

/** A path inside the learner's workspace, POSIX, relative, never escaping it. */
const workspacePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), {
    message: 'must be a relative path inside the workspace (no leading "/" and no "..")',
  });

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a valid JavaScript regular expression' },
);

const environmentName = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{2,38})[A-Za-z0-9]$/, 'must be an Elastic Beanstalk environment name: 4-40 letters, digits and hyphens, no hyphen at either end');
const applicationName = z.string().min(1).max(100);

export const hintLadderSchema = z
  .object({
    nudge: z.string().min(1).describe("Maya's first hint: a question or a place to look, without giving the answer away."),
    concept: z
      .object({
        text: z.string().min(1).describe('One or two sentences naming the idea the learner is missing.'),
        href: z
          .string()
          .regex(/^\/chapters\/[a-z0-9-]+\/(?:#[A-Za-z0-9_-]+)?$/, 'must link into a chapter, e.g. "/chapters/procfile/#the-web-process"')
          .describe('Link into the chapter section that explains the idea, e.g. `/chapters/procfile/#the-web-process`.'),
      })
      .strict()
      .describe('The concept behind the check, with a link into the chapter.'),
    fix: z.string().min(1).describe('The exact fix: the command to run or the line to write.'),
  })
  .strict()
  .describe("Maya's hint ladder, from a nudge to the exact fix.");

// ---------- check kinds: one params schema per kind ----------

const fileParams = { path: workspacePath.describe('File path relative to the workspace, e.g. `Procfile`.') };
const envParam = { environment: environmentName.describe('Environment name, e.g. `pettracker-web-staging`.') };
const appParam = { application: applicationName.describe('Application name, e.g. `pettracker-web`.') };

/** Where a bundle-* check finds the source bundle to inspect. */
const bundleSource = z
  .union([
    z.object({ zip: workspacePath.describe('A zip file in the workspace, e.g. `pettracker-web.zip`.') }).strict(),
    z
      .object({ deployedTo: environmentName.describe('The bundle of the version this environment runs (read from S3 through the SDK).') })
      .strict(),
    z
      .object({
        latestVersionOf: applicationName.describe('The bundle of the newest application version of this application.'),
        excludePreset: z.boolean().default(true).describe('Ignore versions the lab preset created, so only a learner’s own version counts.'),
      })
      .strict(),
    z
      .object({
        ebDeploy: z
          .literal(true)
          .describe('The bundle `eb deploy` would upload from the workspace now (deploy artifact, .ebignore, git HEAD or the folder), before any deploy.'),
      })
      .strict(),
  ])
  .describe('Which bundle to inspect: `{ zip: path }`, `{ deployedTo: env }`, `{ latestVersionOf: app }` or `{ ebDeploy: true }`.');

export const checkParamSchemas = {
  'file-exists': z.object({ ...fileParams }).strict().describe('The file exists in the workspace.'),
  'file-absent': z.object({ ...fileParams }).strict().describe('The file or folder does not exist in the workspace.'),
  'file-contains': z
    .object({ ...fileParams, text: z.string().min(1).describe('Text the file must contain (case-sensitive).') })
    .strict()
    .describe('The file contains a piece of text.'),
  'file-matches': z
    .object({
      ...fileParams,
      pattern: regexSource.describe('Regular expression the file must match (JavaScript syntax, multiline).'),
      flags: z.string().regex(/^[imsu]*$/, 'may only contain the regex flags i, m, s, u').default('m').describe('Regex flags.'),
    })
    .strict()
    .describe('The file matches a regular expression.'),
  'yaml-path-equals': z
    .object({
      ...fileParams,
      at: z.string().min(1).describe('Dotted path into the document, with `[n]` for list items, e.g. `global.application_name`.'),
      equals: z.unknown().describe('The value expected at that path (compared as YAML data).'),
    })
    .strict()
    .describe('A value inside a YAML file equals the expected value.'),
  'json-path-equals': z
    .object({
      ...fileParams,
      at: z.string().min(1).describe('Dotted path into the document, e.g. `scripts.start` or `dependencies.express`.'),
      equals: z.unknown().describe('The value expected at that path.'),
    })
    .strict()
    .describe('A value inside a JSON file equals the expected value.'),
  'procfile-process': z
    .object({
      path: workspacePath.default('Procfile').describe('Where the Procfile is, relative to the workspace.'),
      process: z.string().regex(/^[A-Za-z0-9_-]+$/).default('web').describe('Process name, usually `web`.'),
      command: regexSource.describe('Regular expression the process command must match, e.g. `^gunicorn\\b`.'),
      mustInclude: z
        .array(
          z
            .object({
              pattern: regexSource.describe('Regular expression the command must also match.'),
              means: z.string().min(1).describe('What this part of the command is, shown as expected, e.g. "binds port 8000".'),
            })
            .strict(),
        )
        .default([])
        .describe('Further parts the command needs (each failure is a fix-level hint: the learner is close).'),
    })
    .strict()
    .describe('The Procfile declares a process whose command matches.'),
  'bundle-root-contains': z
    .object({
      bundle: bundleSource,
      paths: z.array(z.string().min(1)).min(1).describe('Paths that must be at the root of the zip, e.g. `package.json`, `Procfile`.'),
    })
    .strict()
    .describe('The source bundle has these files at its root.'),
  'bundle-no-parent-folder': z
    .object({ bundle: bundleSource })
    .strict()
    .describe('The source bundle does not wrap everything in one parent folder.'),
  'bundle-excludes': z
    .object({
      bundle: bundleSource,
      paths: z.array(z.string().min(1)).min(1).describe('Folders or files that must not be in the zip at any depth, e.g. `node_modules`, `venv`.'),
    })
    .strict()
    .describe('The source bundle leaves out these folders or files.'),
  'ebextensions-option': z
    .object({
      namespace: z.string().min(1).describe('Option namespace, e.g. `aws:elasticbeanstalk:environment:proxy`.'),
      option: z.string().min(1).describe('Option name, e.g. `ProxyServer`.'),
      value: z.string().optional().describe('Expected value; omit to only require that the option is set.'),
    })
    .strict()
    .describe('A `.ebextensions/*.config` file in the workspace sets an option (either option_settings form).'),
  'application-exists': z.object({ ...appParam }).strict().describe('The application exists in the cloud.'),
  'version-exists': z
    .object({ ...appParam, label: z.string().optional().describe('Version label; omit for any version created by the learner.') })
    .strict()
    .describe('An application version exists.'),
  'version-processed': z
    .object({
      ...appParam,
      label: z.string().optional().describe('Version label; omit for the newest version created by the learner.'),
    })
    .strict()
    .describe('An application version was processed (status PROCESSED, not FAILED or UNPROCESSED).'),
  'environment-status': z
    .object({
      ...envParam,
      status: z
        .enum(['Launching', 'Updating', 'Ready', 'Terminating', 'Terminated', 'Aborting', 'LinkingFrom', 'LinkingTo'])
        .default('Ready')
        .describe('Expected status.'),
    })
    .strict()
    .describe('The environment exists and has this status.'),
  'environment-health': z
    .object({
      ...envParam,
      health: z.enum(['Green', 'Yellow', 'Red', 'Grey']).default('Green').describe('Expected health colour.'),
    })
    .strict()
    .describe('The environment has this health colour (with the causes as evidence when it does not).'),
  'environment-platform': z
    .object({
      ...envParam,
      platform: regexSource.describe('Regular expression the solution stack name must match, e.g. `running Node\\.js 22$`.'),
    })
    .strict()
    .describe('The environment runs on the expected platform.'),
  'option-setting': z
    .object({
      ...envParam,
      namespace: z.string().min(1).describe('Option namespace.'),
      option: z.string().min(1).describe('Option name.'),
      equals: z.string().optional().describe('Expected effective value.'),
      matches: regexSource.optional().describe('Regular expression the effective value must match.'),
    })
    .strict()
    .describe("The environment's effective option value (DescribeConfigurationSettings) equals or matches."),
  'env-var-set': z
    .object({
      ...envParam,
      name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).describe('Environment property name, e.g. `MODEL_PATH`.'),
      equals: z.string().optional().describe('Expected value; omit to only require that it is set.'),
    })
    .strict()
    .describe('An environment property is set on the environment.'),
  'version-deployed': z
    .object({
      ...envParam,
      label: z.string().optional().describe('Version label; omit for "a version the learner created (not one from the preset)".'),
    })
    .strict()
    .describe('The environment runs the version on every instance.'),
  'event-seen': z
    .object({
      environment: environmentName.optional().describe('Only events of this environment.'),
      application: applicationName.optional().describe('Only events of this application.'),
      pattern: regexSource.describe('Regular expression the event message must match.'),
      severity: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']).optional().describe('Minimum severity.'),
      afterPreset: z.boolean().default(true).describe('Only events after the lab preset was applied.'),
    })
    .strict()
    .describe('An event matching the pattern was seen.'),
  'no-failed-requests': z
    .object({
      ...envParam,
      minRequests: z.number().int().min(1).default(1).describe('At least this many requests must have been recorded.'),
      window: z
        .enum(['lab', 'last-deploy'])
        .default('lab')
        .describe('Which requests count: all since the lab preset (`lab`), or those during the latest deployment (`last-deploy`, from "Environment update is starting." to its completion).'),
    })
    .strict()
    .describe('No request to the environment failed (5xx or no answer); needs sandbox traffic evidence (the built-in sandbox or `academy cloud`).'),
  'instance-count': z
    .object({
      ...envParam,
      min: z.number().int().min(0).default(1).describe('Fewest running instances.'),
      max: z.number().int().min(0).default(10000).describe('Most running instances.'),
    })
    .strict()
    .describe('The number of running instances is in range.'),
  custom: z
    .object({ name: z.string().min(1).describe('Name of a check exported by the lab’s `checks.ts`.') })
    .passthrough()
    .describe("A check written in the lab's `checks.ts`; further params are passed to it."),
} as const;

export type CheckKind = keyof typeof checkParamSchemas;
export const CHECK_KINDS = Object.keys(checkParamSchemas) as CheckKind[];
export type CheckParams<K extends CheckKind> = z.infer<(typeof checkParamSchemas)[K]>;

const checkBase = {
  id: slug.describe('Stable id of the check, kebab-case; wrong answers and results refer to it.'),
  title: z.string().min(1).max(120).describe('Short title shown in the checks panel, e.g. "Procfile starts Gunicorn".'),
  points: z.number().int().min(0).max(100).default(1).describe('Points for passing.'),
  hints: hintLadderSchema,
};

function checkVariant<K extends CheckKind>(kind: K) {
  return z
    .object({
      ...checkBase,
      kind: z.literal(kind).describe(checkParamSchemas[kind].description ?? kind),
      params: checkParamSchemas[kind] as (typeof checkParamSchemas)[K],
    })
    .strict();
}

const checkVariants = CHECK_KINDS.map((k) => checkVariant(k));
export const checkSchema = z
  .discriminatedUnion('kind', checkVariants as unknown as [ReturnType<typeof checkVariant>, ...ReturnType<typeof checkVariant>[]])
  .describe('One graded check: a kind with its params, points, a title and a hint ladder.');

/** A check as declared in lab.yaml (params typed loosely; each kind's runner parses its own params). */
export interface CheckSpec {
  id: string;
  title: string;
  points: number;
  kind: CheckKind;
  params: Record<string, unknown>;
  hints: HintLadder;
}
export type HintLadder = z.infer<typeof hintLadderSchema>;

// ---------- preset: the cloud the lab starts from ----------

const optionSettingSchema = z
  .object({
    namespace: z.string().min(1).describe('Option namespace.'),
    option: z.string().min(1).describe('Option name.'),
    value: z.string().describe('Value.'),
  })
  .strict();

export const presetSchema = z
  .object({
    applications: z
      .array(z.object({ name: applicationName.describe('Application name.'), description: z.string().max(200).optional().describe('Description.') }).strict())
      .default([])
      .describe('Applications that already exist when the lab starts.'),
    versions: z
      .array(
        z
          .object({
            application: applicationName.describe('Application the version belongs to.'),
            label: z.string().min(1).max(100).describe('Version label.'),
            description: z.string().max(200).optional().describe('Description.'),
            bundle: z
              .object({
                dir: z.string().min(1).describe('Folder inside the lab whose files are zipped, e.g. `preset/v1`.'),
                parentFolder: z
                  .string()
                  .optional()
                  .describe('Put every file under this folder inside the zip (reproduces the parent-folder mistake).'),
                exclude: z
                  .array(z.string().min(1))
                  .default([])
                  .describe('Paths inside `dir` left out of the zip: a file, or a folder ending in `/` (e.g. `models/`), so a preset can reuse the starter minus what it lacks.'),
              })
              .strict()
              .describe('The files of the version’s source bundle.'),
            process: z.boolean().default(true).describe('Ask EB to process (validate) the bundle.'),
          })
          .strict(),
      )
      .default([])
      .describe('Application versions uploaded to S3 and registered before the lab starts.'),
    environments: z
      .array(
        z
          .object({
            application: applicationName.describe('Application of the environment.'),
            name: environmentName.describe('Environment name.'),
            platform: z.string().optional().describe('EB CLI platform name, e.g. `python-3.13`; default: the lab’s platform.'),
            version: z.string().optional().describe('Version label to run; omit for the sample application.'),
            optionSettings: z.array(optionSettingSchema).default([]).describe('Option settings given to CreateEnvironment.'),
            enhancedHealth: z.boolean().default(true).describe('Turn on enhanced health, as `eb create` does.'),
            traffic: z
              .number()
              .int()
              .min(0)
              .max(20)
              .default(0)
              .describe('Requests per second the sandbox\'s traffic probe sends to the environment for the whole lab (0: none); needs sandbox evidence.'),
            trafficRequests: z
              .array(z.string().regex(/^(?:[A-Z]+ )?\/\S*$/, 'must be a path, optionally after an HTTP method in capitals, e.g. "POST /predict" or "/health"'))
              .max(100)
              .default([])
              .describe('What the traffic probe requests, in turn, e.g. `["POST /predict", "POST /predict", "GET /health"]` (repeat an entry to weight it); default `GET /`.'),
          })
          .strict(),
      )
      .default([])
      .describe('Environments launched (and waited for) before the lab starts.'),
  })
  .strict()
  .describe('The cloud state the lab starts from, created through the same AWS API a learner uses.');
export type LabPreset = z.infer<typeof presetSchema>;

export const stepSchema = z
  .object({
    title: z.string().min(1).describe('Short step title.'),
    body: z.string().min(1).describe('What to do, in the second person (Markdown).'),
    commands: z.array(z.string()).default([]).describe('Commands the step suggests, shown with copy buttons.'),
  })
  .strict();

export const labManifestSchema = z
  .object({
    id: slug.describe('Lab id: the folder name under labs/ and the URL /labs/<id>/.'),
    title: z.string().min(1).max(120).describe('Lab title.'),
    chapter: z.enum(CHAPTER_SLUGS).describe('Slug of the chapter the lab belongs to (content/chapters/<slug>.mdx).'),
    estimatedMinutes: z.number().int().min(1).max(240).describe('How long the lab takes a learner, in minutes.'),
    objectives: z.array(z.string().min(1)).min(1).describe('What the learner can do after the lab.'),
    platform: z.string().min(1).describe('EB CLI platform name the lab uses, e.g. `node.js-22` or `python-3.13`.'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1').default('us-east-1').describe('AWS region.'),
    workspaceDir: z
      .string()
      .regex(/^\/[^\s]*$/, 'must be an absolute POSIX path')
      .optional()
      .describe('Where the workspace lives in the lab shell; default `/home/learner/<lab-id>`.'),
    preset: presetSchema.default({}),
    steps: z.array(stepSchema).min(1).describe('The steps shown to the learner, in order.'),
    checks: z.array(checkSchema).min(1).describe('The graded checks, in the order they are shown.'),
  })
  .strict()
  .describe('labs/<lab-id>/lab.yaml');

/** The parsed manifest, with check params loosely typed (the runner validates each kind's params). */
export type LabManifest = Omit<z.infer<typeof labManifestSchema>, 'checks'> & { checks: CheckSpec[] };

/** One small change to a file of a wrong answer's workspace, so the mistake reads as a diff, not a whole copy. */
export const wrongAnswerEditSchema = z
  .object({
    file: workspacePath.describe('Workspace path of the text file to change, as it is after the base, this folder’s files and `delete`.'),
    replace: z.string().min(1).describe('Exact text that must occur exactly once in that file (several lines are fine).'),
    with: z.string().describe('The text that takes its place; `""` deletes it.'),
  })
  .strict()
  .describe('A small change to one file: the mistake in place, readable in the manifest.');
export type WrongAnswerEdit = z.infer<typeof wrongAnswerEditSchema>;

export const wrongAnswerSchema = z
  .object({
    description: z.string().min(1).describe('The mistake, as a learner would make it.'),
    base: z.enum(['solution', 'starter']).default('solution').describe('Which files the mistake starts from; this folder’s files are laid over them.'),
    delete: z.array(workspacePath).default([]).describe('Workspace files to delete after laying the files over.'),
    edit: z
      .array(wrongAnswerEditSchema)
      .default([])
      .describe('Small changes applied in order after the files and `delete`: the mistake as an exact text replacement in a base file, instead of a whole copy of it.'),
    expect: z
      .object({
        check: slug.describe('Id of the check that must fail.'),
        hintLevel: z.enum(HINT_LEVELS).describe('The hint level the failure must reach: `nudge`, `concept` or `fix`.'),
        reason: z.string().optional().describe('Optionally, the failure reason code the check must report.'),
      })
      .strict()
      .describe('The check that must catch this mistake, and how specific its hint must be.'),
  })
  .strict()
  .describe('labs/<lab-id>/wrong/<name>/wrong.yaml');
export type WrongAnswerManifest = z.infer<typeof wrongAnswerSchema>;
