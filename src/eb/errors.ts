// The error taxonomy of the `eb` command: each class decides its exit code and how its one-line
// message is printed, so commands throw and only runEb turns errors into output and a status.

/** Base of every error the EB CLI reports on purpose (mirrors ebcli's EBCLIException family). */
export class EbError extends Error {
  /** Process exit code (ebcli: 4 for EBCLIException, 3 invalid state or region, 126 not set up ...). */
  readonly exitCode: number = 4;
  /** Printed as `ERROR: <label> - <message>`; null prints `ERROR: <message>` (ebcli's log_error strings). */
  readonly label: string | null;

  constructor(message: string, label?: string | null) {
    super(message);
    this.name = new.target.name;
    this.label = label === undefined ? new.target.name : label;
  }

  /** The line(s) written to stderr. */
  render(): string {
    return this.label ? `ERROR: ${this.label} - ${this.message}` : `ERROR: ${this.message}`;
  }
}

/** Bad command line: unknown flag, missing value, wrong argument count (argparse exits 2). */
export class UsageError extends EbError {
  override readonly exitCode = 2;
  constructor(
    message: string,
    readonly usage: string,
    readonly commandPath: string,
  ) {
    super(message, null);
  }
  override render(): string {
    return `usage: ${this.usage}\neb: error: ${this.message}\nRun "eb ${this.commandPath} --help" for the options.`;
  }
}

/** A flag or argument value the command refuses before calling AWS. */
export class InvalidOptionsError extends EbError {}

/** `.elasticbeanstalk/config.yml` is missing: the project was never initialised. */
export class NotInitializedError extends EbError {
  override readonly exitCode = 126;
  constructor() {
    super('This directory has not been set up with the EB CLI\nYou must first run "eb init".', null);
  }
}

/** No region from --region, config.yml, the environment or the profile. */
export class NoRegionError extends EbError {
  override readonly exitCode = 3;
  constructor() {
    super(
      'The EB CLI cannot find a default region. Run "eb init" or use a specific region by including the "--region" option with the command.',
      null,
    );
  }
}

/** No environment argument and no default environment for the current branch. */
export class NoEnvironmentForBranchError extends EbError {
  override readonly exitCode = 5;
  constructor(command: string) {
    super(
      `This branch does not have a default environment. You must either specify an environment by typing "eb ${command} my-env-name" or set a default environment by typing "eb use my-env-name".`,
      null,
    );
  }
}

/** The environment (or another resource) is not in a state that allows the operation. */
export class InvalidStateError extends EbError {
  override readonly exitCode = 3;
}

/** A named environment, version, platform or saved configuration does not exist. */
export class NotFoundError extends EbError {}

/** A resource with that name already exists. */
export class AlreadyExistsError extends EbError {}

/** AWS refused a request, or an operation ended on a failure event. */
export class ServiceError extends EbError {}

/** AWS refused a parameter value (InvalidParameterValue). */
export class InvalidParameterValueError extends EbError {}

/** The wait for completion events ran out of time; the operation may still be running. */
export class TimeoutError extends EbError {}

/** The confirmation the user typed did not match. */
export class ValidationError extends EbError {}

/** The source bundle cannot be built or is too large. */
export class FileTooLargeError extends EbError {}

/** Packaging could not read the project (git without commits, unreadable files). */
export class CommandError extends EbError {}

/** The endpoint could not be reached at all. */
export class ConnectionError extends EbError {
  override readonly exitCode = 2;
  constructor(endpoint: string | undefined, cause: string) {
    super(
      `Having trouble communicating with AWS. Please ensure the provided region is correct and you have a working internet connection.${
        endpoint ? ` (endpoint ${endpoint}: ${cause})` : ` (${cause})`
      }`,
      null,
    );
  }
}

/** The user interrupted the command (Ctrl-C in the lab terminal). */
export class CaughtSignal extends EbError {
  override readonly exitCode = 5;
  constructor() {
    super('Interrupted.', null);
  }
  // Like ebcli, no ERROR line: an interrupted wait is not a failure of the operation, which goes on in AWS.
  override render(): string {
    return '\nStopped waiting. The operation continues; run "eb events -f" or "eb status" to follow it.';
  }
}

/** Error codes of SDK exceptions that mean the request never reached a server. */
const connectionCodes = ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'];

/**
 * Translates an AWS SDK exception into the taxonomy, as ebcli's `aws.py` does: invalid-state
 * messages become InvalidStateError, InvalidParameterValue keeps its own class, the rest ServiceError.
 */
export function fromAwsError(error: unknown, endpoint?: string): EbError | null {
  if (error instanceof EbError) return error;
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  if ((code && connectionCodes.includes(code)) || /fetch failed|ECONNREFUSED|getaddrinfo/.test(error.message)) {
    return new ConnectionError(endpoint, code ?? error.message);
  }
  if (!metadata && !('$fault' in error)) return null;
  const name = error.name;
  const message = error.message || name;
  if (/is in an invalid state for this operation/.test(message)) return new InvalidStateError(message);
  if (name === 'InvalidParameterValue') {
    if (/^No Environment found for/.test(message)) return new NotFoundError(message);
    return new InvalidParameterValueError(message);
  }
  if (name === 'InsufficientPrivilegesException' || name === 'AccessDenied' || name === 'AccessDeniedException') {
    return new ServiceError(message, 'NotAuthorizedError');
  }
  return new ServiceError(message);
}
