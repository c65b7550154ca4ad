// Version labels as the EB CLI makes them (reference §8.2): `app-<describe>-<yymmdd_HHMMSSffffff>`
// in git, `app-<yymmdd_HHMMSSffffff>` outside it, `-stage-<timestamp>` appended for --staged.

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `yymmdd_HHMMSSffffff` in UTC (the clock has millisecond resolution, so the last three digits are 000). */
export function labelTimestamp(at: Date): string {
  return (
    two(at.getUTCFullYear() % 100) +
    two(at.getUTCMonth() + 1) +
    two(at.getUTCDate()) +
    '_' +
    two(at.getUTCHours()) +
    two(at.getUTCMinutes()) +
    two(at.getUTCSeconds()) +
    String(at.getUTCMilliseconds()).padStart(3, '0') +
    '000'
  );
}

export function versionLabel(options: { describe: string | null; at: Date; staged?: boolean }): string {
  const stamp = labelTimestamp(options.at);
  const base = options.describe ? `app-${options.describe}-${stamp}` : `app-${stamp}`;
  const label = options.staged ? `${base}-stage-${stamp}` : base;
  // Labels end up in S3 keys and URLs; ebcli replaces dots from tag names.
  return label.replace(/\./g, '_');
}

/** The version description: the commit subject in git, "EB-CLI deploy" otherwise; at most 200 characters. */
export function versionDescription(message: string | undefined, commitMessage: string | null): string {
  const text = message ?? commitMessage ?? 'EB-CLI deploy';
  return text.length > 200 ? text.slice(0, 200) : text;
}

/** Checks a label given with --label against EB's rules before any upload happens. */
export function labelProblem(label: string): string | null {
  if (label.length < 1 || label.length > 100) return `The version label "${label}" must be 1 to 100 characters long.`;
  if (label.includes('/')) return `The version label "${label}" cannot contain "/" (it becomes part of the S3 key).`;
  return null;
}
