// The dated catalogue of Elastic Beanstalk platforms (AL2023 branches, their versions, solution stacks
// and ARNs) and the lookups EB and the EB CLI make: by solution stack, ARN, branch name or short name.

import { AwsError } from '../../protocol/errors.ts';

/** The day this catalogue was taken from the platform history pages (reference §10). */
export const PLATFORM_CATALOGUE_DATE = '2026-03-31';

/** The runtime family decides the proxy port, the default web command and the app model rules. */
export type PlatformLanguage =
  | 'nodejs'
  | 'python'
  | 'docker'
  | 'ecs'
  | 'php'
  | 'corretto'
  | 'tomcat'
  | 'go'
  | 'dotnet'
  | 'ruby';

/** ListPlatformBranches `LifecycleState`. */
export type BranchLifecycleState = 'Supported' | 'Beta' | 'Deprecated' | 'Retired';

export interface PlatformBranch {
  /** `Node.js 22 running on 64bit Amazon Linux 2023` (the EB CLI's `default_platform`). */
  branchName: string;
  /** `Node.js 22`: the part after `running` in a solution stack name. */
  runtime: string;
  /** ListPlatformBranches `PlatformName`: `Node.js`, `Python`, `Docker` ... */
  platformName: string;
  language: PlatformLanguage;
  /** Version of the language runtime shipped by the latest platform version, e.g. `22.22.2`. */
  runtimeVersion: string;
  lifecycleState: BranchLifecycleState;
  /** ListPlatformBranches `BranchOrder`: higher is newer within a platform. */
  branchOrder: number;
  supportedTiers: readonly string[];
  /** Platform versions, oldest first; the last one is the recommended (latest) version. */
  versions: readonly PlatformVersionRelease[];
  /** Where nginx forwards to (the `PORT` the platform sets): 8080 Node.js, 8000 Python, 5000 others, 80 Docker. */
  defaultProxyPort: number;
  /** The web command without a Procfile, as a person would read it. */
  defaultWebCommand: string;
  /** EB CLI names that select this branch (`node.js-22`, `python-3.13`, ...). */
  shortNames: readonly string[];
}

export interface PlatformVersionRelease {
  /** `6.10.0` */
  version: string;
  /** Release date, `YYYY-MM-DD`. */
  released: string;
  /** Runtime version in this release (`22.22.2`). */
  runtimeVersion: string;
}

/** One concrete platform version of a branch, in a region. Plain data (JSON-safe). */
export interface PlatformVersion {
  branch: PlatformBranch;
  /** `6.10.0` */
  version: string;
  /** `64bit Amazon Linux 2023 v6.10.0 running Node.js 22` */
  solutionStackName: string;
  /** `arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 22 running on 64bit Amazon Linux 2023/6.10.0` */
  platformArn: string;
  region: string;
  /** Release date of this version, ISO-8601. */
  dateCreated: string;
  /** True for the latest version of its branch (PlatformLifecycleState `Recommended`). */
  recommended: boolean;
  runtimeVersion: string;
}

const AL2023 = '64bit Amazon Linux 2023';
const WEB_AND_WORKER = ['WebServer/Standard', 'Worker/SQS/HTTP'] as const;

interface BranchSeed {
  runtime: string;
  platformName: string;
  language: PlatformLanguage;
  lifecycleState?: BranchLifecycleState;
  branchOrder: number;
  versions: PlatformVersionRelease[];
  shortNames: string[];
}

function nodeReleases(major: 20 | 22 | 24): PlatformVersionRelease[] {
  const runtime = { 20: ['20.19.4', '20.19.5', '20.20.1'], 22: ['22.18.0', '22.21.1', '22.22.2'], 24: ['24.6.0', '24.11.1', '24.14.1'] }[major];
  return [
    { version: '6.6.4', released: '2025-08-14', runtimeVersion: runtime[0] },
    { version: '6.6.8', released: '2025-11-20', runtimeVersion: runtime[1] },
    { version: '6.10.0', released: '2026-03-31', runtimeVersion: runtime[2] },
  ];
}

function pythonReleases(minor: string, patches: [string, string, string]): PlatformVersionRelease[] {
  return [
    { version: '4.5.2', released: '2025-05-21', runtimeVersion: `${minor}.${patches[0]}` },
    { version: '4.7.4', released: '2025-11-20', runtimeVersion: `${minor}.${patches[1]}` },
    { version: '4.9.1', released: '2026-03-31', runtimeVersion: `${minor}.${patches[2]}` },
  ];
}

function genericReleases(runtimeVersions: [string, string], versions: [string, string] = ['4.7.4', '4.9.1']): PlatformVersionRelease[] {
  return [
    { version: versions[0], released: '2025-11-20', runtimeVersion: runtimeVersions[0] },
    { version: versions[1], released: '2026-03-31', runtimeVersion: runtimeVersions[1] },
  ];
}

const SEEDS: BranchSeed[] = [
  { runtime: 'Node.js 24', platformName: 'Node.js', language: 'nodejs', branchOrder: 3, versions: nodeReleases(24), shortNames: ['node.js', 'node.js-24', 'nodejs', 'node', 'node.js 24'] },
  { runtime: 'Node.js 22', platformName: 'Node.js', language: 'nodejs', branchOrder: 2, versions: nodeReleases(22), shortNames: ['node.js-22', 'nodejs-22', 'node.js 22'] },
  { runtime: 'Node.js 20', platformName: 'Node.js', language: 'nodejs', branchOrder: 1, versions: nodeReleases(20), shortNames: ['node.js-20', 'nodejs-20', 'node.js 20'] },
  { runtime: 'Python 3.13', platformName: 'Python', language: 'python', branchOrder: 4, versions: pythonReleases('3.13', ['3', '9', '12']), shortNames: ['python', 'python-3.13', 'python 3.13', 'python3'] },
  { runtime: 'Python 3.12', platformName: 'Python', language: 'python', branchOrder: 3, versions: pythonReleases('3.12', ['10', '12', '13']), shortNames: ['python-3.12', 'python 3.12'] },
  { runtime: 'Python 3.11', platformName: 'Python', language: 'python', branchOrder: 2, versions: pythonReleases('3.11', ['12', '14', '15']), shortNames: ['python-3.11', 'python 3.11'] },
  { runtime: 'Python 3.9', platformName: 'Python', language: 'python', lifecycleState: 'Deprecated', branchOrder: 1, versions: pythonReleases('3.9', ['22', '24', '25']), shortNames: ['python-3.9', 'python 3.9'] },
  { runtime: 'Docker', platformName: 'Docker', language: 'docker', branchOrder: 1, versions: genericReleases(['25.0.13', '25.0.14']), shortNames: ['docker'] },
  { runtime: 'ECS', platformName: 'ECS', language: 'ecs', branchOrder: 1, versions: genericReleases(['25.0.13', '25.0.14']), shortNames: ['ecs', 'multi-container-docker'] },
  { runtime: 'PHP 8.4', platformName: 'PHP', language: 'php', branchOrder: 3, versions: genericReleases(['8.4.14', '8.4.19'], ['4.7.8', '4.9.1']), shortNames: ['php', 'php-8.4', 'php 8.4'] },
  { runtime: 'PHP 8.3', platformName: 'PHP', language: 'php', branchOrder: 2, versions: genericReleases(['8.3.27', '8.3.30'], ['4.7.8', '4.9.1']), shortNames: ['php-8.3', 'php 8.3'] },
  { runtime: 'PHP 8.2', platformName: 'PHP', language: 'php', branchOrder: 1, versions: genericReleases(['8.2.29', '8.2.30'], ['4.7.8', '4.9.1']), shortNames: ['php-8.2', 'php 8.2'] },
  { runtime: 'Corretto 21', platformName: 'Java', language: 'corretto', branchOrder: 3, versions: genericReleases(['21.0.9', '21.0.10']), shortNames: ['java', 'corretto', 'corretto-21', 'java-21', 'corretto 21'] },
  { runtime: 'Corretto 17', platformName: 'Java', language: 'corretto', branchOrder: 2, versions: genericReleases(['17.0.17', '17.0.18']), shortNames: ['corretto-17', 'java-17', 'corretto 17'] },
  { runtime: 'Corretto 11', platformName: 'Java', language: 'corretto', branchOrder: 1, versions: genericReleases(['11.0.29', '11.0.30']), shortNames: ['corretto-11', 'java-11', 'corretto 11'] },
  { runtime: 'Tomcat 10 Corretto 21', platformName: 'Tomcat', language: 'tomcat', branchOrder: 2, versions: genericReleases(['10.1.48', '10.1.52'], ['5.7.4', '5.9.1']), shortNames: ['tomcat', 'tomcat-10-corretto-21', 'tomcat-10'] },
  { runtime: 'Tomcat 10 Corretto 17', platformName: 'Tomcat', language: 'tomcat', branchOrder: 1, versions: genericReleases(['10.1.48', '10.1.52'], ['5.7.4', '5.9.1']), shortNames: ['tomcat-10-corretto-17'] },
  { runtime: 'Go 1', platformName: 'Go', language: 'go', branchOrder: 1, versions: genericReleases(['1.24.9', '1.25.8']), shortNames: ['go', 'go-1', 'go 1'] },
  { runtime: '.NET 8', platformName: '.NET Core on Linux', language: 'dotnet', branchOrder: 1, versions: genericReleases(['8.0.21', '8.0.25'], ['3.6.4', '3.8.1']), shortNames: ['.net', 'dotnet', '.net-8', 'dotnet-8', '.net core on linux'] },
  { runtime: 'Ruby 3.4', platformName: 'Ruby', language: 'ruby', branchOrder: 2, versions: genericReleases(['3.4.7', '3.4.9']), shortNames: ['ruby', 'ruby-3.4', 'ruby 3.4'] },
  { runtime: 'Ruby 3.3', platformName: 'Ruby', language: 'ruby', branchOrder: 1, versions: genericReleases(['3.3.10', '3.3.11']), shortNames: ['ruby-3.3', 'ruby 3.3'] },
];

/** Proxy upstream port per family (reference §7). Docker forwards to the container's port; 80 is nginx's own. */
export function defaultProxyPortFor(language: PlatformLanguage): number {
  switch (language) {
    case 'nodejs':
      return 8080;
    case 'python':
      return 8000;
    case 'docker':
    case 'ecs':
      return 80;
    case 'php':
      return 80;
    default:
      return 5000;
  }
}

function defaultWebCommandFor(language: PlatformLanguage): string {
  switch (language) {
    case 'nodejs':
      return 'npm start (package.json), else node app.js, else node server.js';
    case 'python':
      return 'gunicorn --bind 127.0.0.1:8000 --workers=1 --threads=15 application:application';
    case 'docker':
      return 'docker run (Dockerfile, Dockerrun.aws.json or docker-compose.yml)';
    case 'ecs':
      return 'ECS tasks from Dockerrun.aws.json v2';
    case 'php':
      return 'php-fpm behind nginx (document root /)';
    case 'corretto':
      return 'java -jar application.jar';
    case 'tomcat':
      return 'Tomcat serving ROOT.war';
    case 'go':
      return './application';
    case 'dotnet':
      return 'dotnet <project>.dll';
    case 'ruby':
      return 'puma (config.ru)';
  }
}

export const PLATFORM_BRANCHES: readonly PlatformBranch[] = SEEDS.map((seed) => {
  const latest = seed.versions[seed.versions.length - 1];
  return Object.freeze({
    branchName: `${seed.runtime} running on ${AL2023}`,
    runtime: seed.runtime,
    platformName: seed.platformName,
    language: seed.language,
    runtimeVersion: latest.runtimeVersion,
    lifecycleState: seed.lifecycleState ?? 'Supported',
    branchOrder: seed.branchOrder,
    supportedTiers: seed.language === 'ecs' ? ['WebServer/Standard'] : WEB_AND_WORKER,
    versions: Object.freeze(seed.versions.map((v) => Object.freeze(v))),
    defaultProxyPort: defaultProxyPortFor(seed.language),
    defaultWebCommand: defaultWebCommandFor(seed.language),
    shortNames: Object.freeze(seed.shortNames),
  });
});

export const DEFAULT_REGION = 'us-east-1';

export function solutionStackNameOf(branch: PlatformBranch, version: string): string {
  return `${AL2023} v${version} running ${branch.runtime}`;
}

export function platformArnOf(branch: PlatformBranch, version: string, region: string = DEFAULT_REGION): string {
  return `arn:aws:elasticbeanstalk:${region}::platform/${branch.branchName}/${version}`;
}

function versionOf(branch: PlatformBranch, release: PlatformVersionRelease, region: string): PlatformVersion {
  const latest = branch.versions[branch.versions.length - 1];
  return {
    branch,
    version: release.version,
    solutionStackName: solutionStackNameOf(branch, release.version),
    platformArn: platformArnOf(branch, release.version, region),
    region,
    dateCreated: `${release.released}T00:00:00.000Z`,
    recommended: release === latest,
    runtimeVersion: release.runtimeVersion,
  };
}

/** The latest (recommended) version of a branch in a region. */
export function latestVersionOf(branch: PlatformBranch, region: string = DEFAULT_REGION): PlatformVersion {
  return versionOf(branch, branch.versions[branch.versions.length - 1], region);
}

/** Every version of every branch, in a region (ListPlatformVersions, ListAvailableSolutionStacks). Newest first per branch. */
export function allPlatformVersions(region: string = DEFAULT_REGION): PlatformVersion[] {
  const out: PlatformVersion[] = [];
  for (const branch of PLATFORM_BRANCHES) {
    for (const release of [...branch.versions].reverse()) out.push(versionOf(branch, release, region));
  }
  return out;
}

export function findBranch(branchName: string): PlatformBranch | undefined {
  const wanted = branchName.trim().toLowerCase();
  return PLATFORM_BRANCHES.find((b) => b.branchName.toLowerCase() === wanted);
}

const STACK_PATTERN = /^64bit Amazon Linux 2023 v(\d+\.\d+\.\d+) running (.+)$/;

/**
 * A solution stack name to a platform version. Any `64bit Amazon Linux 2023 vX.Y.Z running <Runtime>` of a known
 * runtime is accepted (patch versions move every few weeks, reference §10); unknown versions keep the
 * latest release's runtime version.
 */
export function findBySolutionStack(solutionStackName: string, region: string = DEFAULT_REGION): PlatformVersion | undefined {
  const m = STACK_PATTERN.exec(solutionStackName.trim());
  if (!m) return undefined;
  const branch = PLATFORM_BRANCHES.find((b) => b.runtime === m[2]);
  if (!branch) return undefined;
  const release = branch.versions.find((v) => v.version === m[1]);
  if (release) return versionOf(branch, release, region);
  const latest = branch.versions[branch.versions.length - 1];
  return { ...versionOf(branch, latest, region), version: m[1], solutionStackName: solutionStackNameOf(branch, m[1]), platformArn: platformArnOf(branch, m[1], region), recommended: false };
}

const ARN_PATTERN = /^arn:aws:elasticbeanstalk:([a-z0-9-]*)::platform\/(.+) running on 64bit Amazon Linux 2023\/(\d+\.\d+\.\d+)$/;

/** A platform ARN to a platform version (its region comes from the ARN, or the caller's when the ARN has none). */
export function findByArn(platformArn: string, region: string = DEFAULT_REGION): PlatformVersion | undefined {
  const m = ARN_PATTERN.exec(platformArn.trim());
  if (!m) return undefined;
  const stack = findBySolutionStack(`${AL2023} v${m[3]} running ${m[2]}`, m[1] || region);
  return stack;
}

/**
 * An EB CLI platform name (`node.js`, `python-3.13`, `docker`, a branch name, or a solution stack) to a branch's latest
 * version. Case-insensitive. Undefined when unknown (see unknownPlatformMessage).
 */
export function findByShortName(name: string, region: string = DEFAULT_REGION): PlatformVersion | undefined {
  const wanted = name.trim().toLowerCase();
  if (!wanted) return undefined;
  const byStack = findBySolutionStack(name, region) ?? findByArn(name, region);
  if (byStack) return byStack;
  const branch =
    findBranch(wanted) ??
    PLATFORM_BRANCHES.find((b) => b.shortNames.includes(wanted)) ??
    PLATFORM_BRANCHES.find((b) => b.runtime.toLowerCase() === wanted || b.runtime.toLowerCase().replace(/ /g, '-') === wanted);
  return branch ? latestVersionOf(branch, region) : undefined;
}

/** The EB CLI's complaint about a platform name it cannot resolve. */
export function unknownPlatformMessage(name: string): string {
  return `Platform "${name}" does not appear to be valid`;
}

/**
 * What CreateEnvironment / CreateConfigurationTemplate / DescribeConfigurationOptions do with
 * SolutionStackName or PlatformArn: the platform version, or EB's InvalidParameterValue.
 */
export function resolvePlatform(
  spec: { SolutionStackName?: string; PlatformArn?: string },
  region: string = DEFAULT_REGION,
): PlatformVersion {
  if (spec.SolutionStackName !== undefined && spec.PlatformArn !== undefined) {
    throw new AwsError(
      'InvalidParameterCombination',
      'You cannot specify both SolutionStackName and PlatformArn. Specify only one.',
    );
  }
  if (spec.PlatformArn !== undefined) {
    const found = findByArn(spec.PlatformArn, region);
    if (!found) throw new AwsError('InvalidParameterValue', `No Platform named '${spec.PlatformArn}' found.`);
    return found;
  }
  if (spec.SolutionStackName !== undefined) {
    const found = findBySolutionStack(spec.SolutionStackName, region);
    if (!found) throw new AwsError('InvalidParameterValue', `No Solution Stack named '${spec.SolutionStackName}' found.`);
    return found;
  }
  throw new AwsError('MissingParameter', 'Either SolutionStackName or PlatformArn must be specified.');
}
