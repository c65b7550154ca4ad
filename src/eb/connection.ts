// Where `eb` sends requests: region (--region, config.yml, AWS_REGION / AWS_DEFAULT_REGION, the
// profile in ~/.aws/config), profile (--profile, config.yml, AWS_EB_PROFILE, AWS_PROFILE) and endpoint
// (--endpoint-url, AWS_ENDPOINT_URL*), then SDK clients built by src/aws.
import { joinPath, type WorkspaceFs } from '../workspace/fs.ts';
import type { EbContext } from './context.ts';

/** Minimal INI reader for ~/.aws/config and ~/.aws/credentials. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s[;#].*$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      current = sections[header[1]] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}

export function homeOf(ctx: EbContext): string | undefined {
  return ctx.home ?? ctx.env.HOME ?? ctx.env.USERPROFILE;
}

async function readIni(fs: WorkspaceFs, path: string): Promise<Record<string, Record<string, string>>> {
  try {
    if (!(await fs.exists(path))) return {};
    return parseIni(await fs.readFile(path, 'utf8'));
  } catch {
    return {};
  }
}

export interface ProfileSettings {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  endpointUrl?: string;
}

/** Reads one profile from ~/.aws/config and ~/.aws/credentials (the files the AWS CLI writes). */
export async function readProfile(ctx: EbContext, profile: string): Promise<ProfileSettings> {
  const home = homeOf(ctx);
  if (!home) return {};
  const configPath = ctx.env.AWS_CONFIG_FILE ?? joinPath(home, '.aws/config');
  const credentialsPath = ctx.env.AWS_SHARED_CREDENTIALS_FILE ?? joinPath(home, '.aws/credentials');
  const config = await readIni(ctx.fs, configPath);
  const credentials = await readIni(ctx.fs, credentialsPath);
  const fromConfig = config[profile === 'default' ? 'default' : `profile ${profile}`] ?? config[profile] ?? {};
  const fromCredentials = credentials[profile] ?? {};
  return {
    region: fromConfig.region,
    accessKeyId: fromCredentials.aws_access_key_id ?? fromConfig.aws_access_key_id,
    secretAccessKey: fromCredentials.aws_secret_access_key ?? fromConfig.aws_secret_access_key,
    sessionToken: fromCredentials.aws_session_token ?? fromConfig.aws_session_token,
    endpointUrl: fromConfig.endpoint_url,
  };
}

/** The profile name in effect: --profile, then config.yml, then AWS_EB_PROFILE, then AWS_PROFILE. */
export function profileName(flag: string | undefined, fromProject: string | null, env: EbContext['env']): string | undefined {
  return flag ?? fromProject ?? env.AWS_EB_PROFILE ?? env.AWS_PROFILE ?? undefined;
}

/** The region from the environment variables alone (no flag, no project, no files). */
export function regionFromEnv(env: EbContext['env']): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}
