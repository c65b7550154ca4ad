// Text renderers matching the EB CLI's output: event lines, the "Environment details for:" block,
// status fields, timestamps. JSON output is produced separately from the SDK objects.
import type { EnvironmentDescription, EventDescription } from '@aws-sdk/client-elastic-beanstalk';

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
export function formatDate(date: Date | undefined): string {
  if (!date) return '';
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())}`;
}

/** Python's `str(datetime)` for an aware UTC time, as ebcli prints `Updated:`. */
export function formatPythonDate(date: Date | undefined): string {
  if (!date) return 'UNKNOWN';
  const micro = String(date.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `${formatDate(date)}.${micro}+00:00`;
}

/** `{date:<22} {severity:<7} {message}`: `2018-07-11 21:05:22    INFO    Environment update is starting.` */
export function eventLine(event: EventDescription): string {
  return `${formatDate(event.EventDate).padEnd(22)} ${(event.Severity ?? 'INFO').padEnd(7)} ${event.Message ?? ''}`;
}

export function tierText(env: EnvironmentDescription): string {
  const tier = env.Tier;
  if (!tier) return 'WebServer-Standard-1.0';
  return `${tier.Name ?? 'WebServer'}-${tier.Type ?? 'Standard'}-${tier.Version ?? '1.0'}`;
}

/** Region from the environment ARN, as `eb status` derives it. */
export function regionOf(env: EnvironmentDescription, fallback: string): string {
  return env.EnvironmentArn?.split(':')[3] || fallback;
}

/** The block `eb create` and `eb status` print. */
export function environmentDetails(env: EnvironmentDescription, region: string): string {
  const lines = [
    `Environment details for: ${env.EnvironmentName}`,
    `  Application name: ${env.ApplicationName}`,
    `  Region: ${regionOf(env, region)}`,
    `  Deployed Version: ${env.VersionLabel ?? 'Sample Application'}`,
    `  Environment ID: ${env.EnvironmentId}`,
    `  Platform: ${env.PlatformArn ?? env.SolutionStackName ?? 'UNKNOWN'}`,
    `  Tier: ${tierText(env)}`,
    `  CNAME: ${env.CNAME || 'UNKNOWN'}`,
    `  Updated: ${formatPythonDate(env.DateUpdated)}`,
  ];
  return lines.join('\n');
}

/** A fixed-width table: every column padded to its widest cell. */
export function table(rows: string[][], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] + 2))).join('').trimEnd())
    .join('\n');
}

/** "5 mins", "2 hours", like ebcli's age column. */
export function age(from: Date | undefined, nowMs: number): string {
  if (!from) return '-';
  const seconds = Math.max(0, Math.round((nowMs - from.getTime()) / 1000));
  if (seconds < 60) return `${seconds} secs`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.floor(hours / 24)} days`;
}
