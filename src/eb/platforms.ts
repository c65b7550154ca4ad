// Turns what a user types for a platform (`node.js`, `python-3.13`, a branch name, a solution stack,
// an ARN) into a platform branch and its latest platform ARN, using ListPlatformBranches and
// ListPlatformVersions, so it works against the sandbox and real AWS alike.
import {
  ListAvailableSolutionStacksCommand,
  ListPlatformBranchesCommand,
  ListPlatformVersionsCommand,
  type PlatformBranchSummary,
} from '@aws-sdk/client-elastic-beanstalk';
import type { EbClients } from './context.ts';
import { NotFoundError } from './errors.ts';

export interface ResolvedPlatform {
  /** `Node.js 22 running on 64bit Amazon Linux 2023`, when known. */
  branchName?: string;
  platformArn?: string;
  solutionStackName?: string;
}

const runningOn = ' running on ';

export async function listBranches(clients: EbClients): Promise<PlatformBranchSummary[]> {
  const branches: PlatformBranchSummary[] = [];
  let token: string | undefined;
  do {
    const page = await clients.eb.send(new ListPlatformBranchesCommand({ NextToken: token, MaxRecords: 100 }));
    branches.push(...(page.PlatformBranchSummaryList ?? []));
    token = page.NextToken;
  } while (token);
  return branches;
}

function normalise(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, '-');
}

/** The short names `eb platform list` prints and `eb init -p` accepts for a branch: `node.js-22`, `python-3.13`. */
export function shortNameOf(branch: PlatformBranchSummary): string {
  const name = branch.BranchName ?? '';
  const runtime = name.includes(runningOn) ? name.slice(0, name.indexOf(runningOn)) : name;
  return normalise(runtime);
}

function familyOf(branch: PlatformBranchSummary): string {
  return normalise(branch.PlatformName ?? shortNameOf(branch).replace(/-[\d.]+$/, ''));
}

function variants(name: string): string[] {
  return [name, name.replace(/\./g, ''), name.replace(/^node\.js/, 'node')];
}

function preference(a: PlatformBranchSummary, b: PlatformBranchSummary): number {
  const rank = (s?: string) => (s === 'Supported' ? 0 : s === 'Beta' ? 1 : s === 'Deprecated' ? 2 : 3);
  return rank(a.LifecycleState) - rank(b.LifecycleState) || (b.BranchOrder ?? 0) - (a.BranchOrder ?? 0);
}

/** Picks the branch a user meant, or null. */
export function matchBranch(branches: PlatformBranchSummary[], input: string): PlatformBranchSummary | null {
  const wanted = normalise(input);
  const exact = branches.find((b) => normalise(b.BranchName ?? '') === wanted);
  if (exact) return exact;
  const byRuntime = branches.filter((b) => variants(shortNameOf(b)).includes(wanted) || variants(shortNameOf(b)).includes(wanted.replace(/\./g, '')));
  if (byRuntime.length > 0) return [...byRuntime].sort(preference)[0];
  const byFamily = branches.filter((b) => variants(familyOf(b)).some((v) => v === wanted || v === wanted.replace(/\./g, '')));
  if (byFamily.length > 0) return [...byFamily].sort(preference)[0];
  return null;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest platform ARN of a branch. */
export async function latestPlatformArn(clients: EbClients, branchName: string): Promise<string | undefined> {
  const versions = await clients.eb.send(
    new ListPlatformVersionsCommand({ Filters: [{ Type: 'PlatformBranchName', Operator: '=', Values: [branchName] }] }),
  );
  const inBranch = (versions.PlatformSummaryList ?? []).filter(
    (p) => p.PlatformBranchName === branchName || p.PlatformArn?.includes(`/${branchName}/`),
  );
  inBranch.sort((a, b) => compareVersions(b.PlatformVersion ?? '0', a.PlatformVersion ?? '0'));
  return inBranch[0]?.PlatformArn;
}

async function latestSolutionStack(clients: EbClients, branchName: string): Promise<string | undefined> {
  const runtime = branchName.includes(runningOn) ? branchName.slice(0, branchName.indexOf(runningOn)) : branchName;
  const os = branchName.includes(runningOn) ? branchName.slice(branchName.indexOf(runningOn) + runningOn.length) : '';
  const stacks = (await clients.eb.send(new ListAvailableSolutionStacksCommand({}))).SolutionStacks ?? [];
  const matching = stacks.filter((s) => s.endsWith(` running ${runtime}`) && (!os || s.startsWith(os)));
  const versionOf = (s: string) => /v(\d+(?:\.\d+)*)/.exec(s)?.[1] ?? '0';
  matching.sort((a, b) => compareVersions(versionOf(b), versionOf(a)));
  return matching[0];
}

/** Resolves a platform; throws NotFoundError naming `eb platform list` when nothing matches. */
export async function resolvePlatform(clients: EbClients, input: string): Promise<ResolvedPlatform> {
  const text = input.trim();
  if (text.startsWith('arn:')) {
    const match = /platform\/(.+)\/[^/]+$/.exec(text);
    return { platformArn: text, branchName: match?.[1] };
  }
  if (/^64bit .* running /.test(text)) return { solutionStackName: text };
  const branch = matchBranch(await listBranches(clients), text);
  if (!branch?.BranchName) {
    throw new NotFoundError(`The EB CLI cannot find a platform for key "${input}". Run "eb platform list" to see the platforms you can use.`);
  }
  const branchName = branch.BranchName;
  const platformArn = await latestPlatformArn(clients, branchName).catch(() => undefined);
  if (platformArn) return { branchName, platformArn };
  const solutionStackName = await latestSolutionStack(clients, branchName).catch(() => undefined);
  if (solutionStackName) return { branchName, solutionStackName };
  throw new NotFoundError(`Elastic Beanstalk could not find any platform versions for the platform branch "${branchName}".`);
}

/** Guesses the platform from the project's files, as `eb init` does before asking "Is this correct?". */
export async function detectPlatform(exists: (name: string) => Promise<boolean>): Promise<{ key: string; label: string } | null> {
  if (await exists('Dockerfile')) return { key: 'docker', label: 'Docker' };
  if (await exists('docker-compose.yml')) return { key: 'docker', label: 'Docker' };
  if (await exists('package.json')) return { key: 'node.js', label: 'Node.js' };
  if ((await exists('requirements.txt')) || (await exists('application.py')) || (await exists('Pipfile'))) return { key: 'python', label: 'Python' };
  if (await exists('composer.json')) return { key: 'php', label: 'PHP' };
  if (await exists('Gemfile')) return { key: 'ruby', label: 'Ruby' };
  if (await exists('go.mod')) return { key: 'go', label: 'Go' };
  return null;
}
