// Node-only: reads named profiles from ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE,
// AWS_CONFIG_FILE honoured). Kept apart from index.ts so browser bundles never import node:fs.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clientsFromEnvironment, type AwsClients, type AwsProfile, type EnvironmentOverrides } from './index.ts';

/** Parses an AWS INI file into sections of lower-cased keys. */
export function parseAwsIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s[#;].*$/, '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      current = {};
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && current) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A profile from the shared files, or undefined when neither file names it. */
export function readAwsProfile(name: string, env: Record<string, string | undefined> = process.env): AwsProfile | undefined {
  const home = env.HOME || homedir();
  const credentialsFile = readIfExists(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'));
  const configFile = readIfExists(env.AWS_CONFIG_FILE || join(home, '.aws', 'config'));
  const fromCredentials = credentialsFile ? parseAwsIni(credentialsFile).get(name) : undefined;
  const fromConfig = configFile ? parseAwsIni(configFile).get(name === 'default' ? 'default' : `profile ${name}`) : undefined;
  if (!fromCredentials && !fromConfig) return undefined;
  const merged = { ...fromConfig, ...fromCredentials };
  const profile: AwsProfile = {};
  if (merged.aws_access_key_id && merged.aws_secret_access_key) {
    profile.credentials = {
      accessKeyId: merged.aws_access_key_id,
      secretAccessKey: merged.aws_secret_access_key,
      ...(merged.aws_session_token ? { sessionToken: merged.aws_session_token } : {}),
    };
  }
  if (merged.region) profile.region = merged.region;
  if (merged.endpoint_url) profile.endpointUrl = merged.endpoint_url;
  return profile;
}

/** clientsFromEnvironment with ~/.aws profiles available (Node only). */
export function clientsFromNodeEnvironment(
  env: Record<string, string | undefined> = process.env,
  overrides: Omit<EnvironmentOverrides, 'readProfile'> = {},
): AwsClients {
  return clientsFromEnvironment(env, { ...overrides, readProfile: (name) => readAwsProfile(name, env) });
}
