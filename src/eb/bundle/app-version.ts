// Creates an application version from the project like `eb deploy` / `eb create`: package (git or
// .ebignore), zip, upload to the storage bucket, CreateApplicationVersion(Process=true), then wait
// until EB has processed (validated) the bundle.
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  DescribeApplicationVersionsCommand,
  DescribeEventsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { joinPath } from '../../workspace/fs.ts';
import type { EbClients } from '../context.ts';
import { nowMs } from '../context.ts';
import { FileTooLargeError, InvalidOptionsError, ServiceError, TimeoutError } from '../errors.ts';
import { checkSignal, type Invocation } from '../invocation.ts';
import { pollDelay } from '../events.ts';
import type { Project } from '../project.ts';
import { collectSource } from './source.ts';
import { uploadBundle, storageBucket } from './upload.ts';
import { labelProblem, labelTimestamp, versionDescription, versionLabel } from './version-label.ts';
import { compressionLevel, maxBundleBytes, zipBundle } from './zip.ts';

export interface VersionRequest {
  label?: string;
  message?: string;
  staged?: boolean;
  /** Minutes to wait for processing. */
  timeoutMinutes: number;
  /** For `eb create`: an empty project means "launch the sample application" instead of an error. */
  allowEmpty?: boolean;
  /** Overrides the 512 MB limit (tests use a small one to prove the check without a huge bundle). */
  maxBytes?: number;
}

export interface CreatedVersion {
  label: string;
  bucket: string;
  key: string;
  /** False when the label already existed and was reused ("Deploying a previously deployed commit."). */
  created: boolean;
}

/** Returns the new version, or null for an empty project when `allowEmpty` (the sample application). */
export async function createVersionFromProject(inv: Invocation, request: VersionRequest): Promise<CreatedVersion | null> {
  const project = await inv.project();
  const clients = await inv.clients();
  const app = project.applicationName;
  if (request.label) {
    const problem = labelProblem(request.label);
    if (problem) throw new InvalidOptionsError(problem);
  }

  let archive: Uint8Array;
  let label: string;
  let description: string;
  const artifact = project.config.deploy?.artifact;
  if (artifact) {
    const artifactPath = joinPath(project.root, artifact);
    if (!(await project.fs.exists(artifactPath))) {
      throw new InvalidOptionsError(
        `The deploy artifact "${artifact}" named in .elasticbeanstalk/config.yml (deploy: artifact:) does not exist. Build it first or remove the setting.`,
      );
    }
    // Checked before reading, so a huge artifact is refused without loading it.
    if ((await project.fs.stat(artifactPath)).size > (request.maxBytes ?? maxBundleBytes)) {
      throw new FileTooLargeError('Archive cannot be any larger than 512MB');
    }
    archive = await project.fs.readFileBuffer(artifactPath);
    const base = artifact.split('/').pop()!.replace(/\.(zip|war|jar)$/i, '');
    label = request.label ?? `app-${base}-${labelTimestamp(new Date(nowMs(clients)))}`.replace(/\./g, '_');
    description = versionDescription(request.message, null);
  } else {
    const source = await collectSource(project.fs, project.root, project.gitRoot, { staged: request.staged });
    if (request.staged) {
      if (source.unstagedChanges.length > 0) inv.out.warning('You have unstaged changes; --staged deploys only what is in the git index.');
    } else if (source.uncommittedChanges.length > 0) {
      inv.out.warning('You have uncommitted changes.');
    }
    if (source.files.length === 0) {
      if (request.allowEmpty) {
        inv.out.line('The current directory does not contain any source code. Elastic Beanstalk is launching the sample application instead.');
        return null;
      }
      const where = source.kind === 'git-head' || source.kind === 'git-staged' ? 'the committed files of this git repository' : project.root;
      throw new InvalidOptionsError(`There is nothing to deploy: ${where} contains no files to package. Add your application files (and commit them when using git).`);
    }
    label = request.label ?? versionLabel({ describe: source.describe, at: new Date(nowMs(clients)), staged: request.staged });
    description = versionDescription(request.message, source.commitMessage);
    inv.out.line(`Creating application version archive "${label}".`);
    // Files that will be stored uncompressed already fix a lower bound on the archive size.
    const storedBytes = source.files.reduce((sum, f) => sum + (compressionLevel(f.data) === 0 ? f.data.byteLength : 0), 0);
    if (storedBytes > (request.maxBytes ?? maxBundleBytes)) throw new FileTooLargeError('Archive cannot be any larger than 512MB');
    archive = zipBundle(source.files);
  }

  const limit = request.maxBytes ?? maxBundleBytes;
  if (archive.byteLength > limit) throw new FileTooLargeError('Archive cannot be any larger than 512MB');

  const bucket = await storageBucket(clients);
  const key = `${app}/${label}.zip`;
  inv.out.line(`Uploading ${key} to S3. This may take a while.`);
  const upload = await uploadBundle(clients, bucket, key, archive);
  if (upload.uploaded) inv.out.line('Upload Complete.');
  else inv.out.warning(`${key} is already in bucket ${bucket}; it was not uploaded again.`);

  const created = await registerVersion(inv, clients, project, { label, description, bucket, key });
  if (created) await waitUntilProcessed(inv, clients, app, label, request.timeoutMinutes);
  return { label, bucket, key, created };
}

/** CreateApplicationVersion, creating the application first if it is missing, as ebcli commonops does. */
async function registerVersion(
  inv: Invocation,
  clients: EbClients,
  project: Project,
  v: { label: string; description: string; bucket: string; key: string },
): Promise<boolean> {
  const app = project.applicationName;
  const create = () =>
    clients.eb.send(
      new CreateApplicationVersionCommand({
        ApplicationName: app,
        VersionLabel: v.label,
        Description: v.description,
        SourceBundle: { S3Bucket: v.bucket, S3Key: v.key },
        Process: true,
      }),
    );
  try {
    await create();
    return true;
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/^No Application named '.*' found\.$/.test(message)) {
      await clients.eb.send(new CreateApplicationCommand({ ApplicationName: app, Description: 'Application created from the EB CLI using "eb deploy"' }));
      await create();
      return true;
    }
    if (/^Application Version .* already exists\.$/.test(message)) {
      inv.out.line('Deploying a previously deployed commit.');
      return false;
    }
    throw error;
  }
}

/** Polls DescribeApplicationVersions until the version is PROCESSED; FAILED prints EB's reasons. */
async function waitUntilProcessed(inv: Invocation, clients: EbClients, app: string, label: string, timeoutMinutes: number): Promise<void> {
  const deadline = nowMs(clients) + timeoutMinutes * 60_000;
  for (let polls = 0; ; polls++) {
    checkSignal(inv.ctx);
    const response = await clients.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: app, VersionLabels: [label] }));
    const status = (response.ApplicationVersions?.[0]?.Status ?? '').toUpperCase();
    // UNPROCESSED means the service does not process versions (e.g. an emulator without it): nothing to wait for.
    if (status === 'PROCESSED' || status === 'UNPROCESSED' || status === '') return;
    if (status === 'FAILED') {
      const events = await clients.eb
        .send(new DescribeEventsCommand({ ApplicationName: app, VersionLabel: label, Severity: 'WARN' }))
        .catch(() => ({ Events: [] }));
      for (const event of [...(events.Events ?? [])].reverse()) inv.out.error(`${event.Severity === 'WARN' ? 'WARNING' : 'ERROR'}: ${event.Message}`);
      throw new ServiceError(`Pre-processing of application version ${label} has failed.`);
    }
    if (nowMs(clients) >= deadline) {
      throw new TimeoutError('All application versions have not reached a "Processed" state. Unable to continue with deployment.');
    }
    await clients.sleep(pollDelay(polls));
  }
}
