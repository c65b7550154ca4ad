// Builds the SDK clients a command uses: the host's in-process clients when given, otherwise clients
// from src/aws for the resolved region, profile and endpoint (--endpoint-url, AWS_ENDPOINT_URL*).
import { clientsFromEnvironment, type AwsProfile } from '../aws/index.ts';
import { stringFlag } from './args.ts';
import { readProfile, profileName, regionFromEnv } from './connection.ts';
import type { EbClients } from './context.ts';
import { EbError, InvalidOptionsError, NoRegionError } from './errors.ts';
import type { Invocation } from './invocation.ts';

async function projectSetting(inv: Invocation, read: (p: Awaited<ReturnType<Invocation['project']>>) => string | null): Promise<string | null> {
  try {
    return read(await inv.project());
  } catch (error) {
    if (error instanceof EbError && error.name === 'NotInitializedError') return null;
    throw error;
  }
}

async function chosenProfile(inv: Invocation): Promise<string | undefined> {
  return profileName(stringFlag(inv.args, 'profile'), await projectSetting(inv, (p) => p.profile), inv.ctx.env);
}

/** Region from AWS_REGION / AWS_DEFAULT_REGION, else the chosen profile's region in ~/.aws/config. */
export async function environmentRegion(inv: Invocation): Promise<string | undefined> {
  const fromEnv = regionFromEnv(inv.ctx.env);
  if (fromEnv) return fromEnv;
  const profile = await chosenProfile(inv);
  return (await readProfile(inv.ctx, profile ?? 'default')).region;
}

/** --region, then config.yml's default_region, then the environment and profile. */
export async function resolveRegion(inv: Invocation): Promise<string> {
  const region =
    stringFlag(inv.args, 'region') ?? (await projectSetting(inv, (p) => p.defaultRegion)) ?? (await environmentRegion(inv));
  if (!region) throw new NoRegionError();
  return region;
}

export async function buildClients(inv: Invocation, region?: string): Promise<{ clients: EbClients; endpoint?: string }> {
  const { ctx } = inv;
  if (ctx.clients) return { clients: ctx.clients };
  const resolvedRegion = region ?? (await resolveRegion(inv));
  const profile = await chosenProfile(inv);
  const profiles = new Map<string, AwsProfile | undefined>();
  for (const name of new Set([profile ?? 'default', 'default'])) {
    const settings = await readProfile(ctx, name);
    const found = settings.accessKeyId || settings.region || settings.endpointUrl;
    profiles.set(
      name,
      found
        ? {
            ...(settings.accessKeyId && settings.secretAccessKey
              ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, ...(settings.sessionToken ? { sessionToken: settings.sessionToken } : {}) } }
              : {}),
            ...(settings.region ? { region: settings.region } : {}),
            ...(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {}),
          }
        : undefined,
    );
  }
  const endpoint = stringFlag(inv.args, 'endpoint-url');
  const env: Record<string, string | undefined> = { ...ctx.env, ...(profile ? { AWS_PROFILE: profile } : {}) };
  try {
    const clients = clientsFromEnvironment(env, { region: resolvedRegion, endpoint, readProfile: (name) => profiles.get(name) });
    return { clients, endpoint: endpoint ?? env.AWS_ENDPOINT_URL_ELASTIC_BEANSTALK ?? env.AWS_ENDPOINT_URL };
  } catch (error) {
    throw new InvalidOptionsError((error as Error).message, 'ConfigurationError');
  }
}
