// AWS errors as the services raise them; the protocol layer turns them into each protocol's
// error envelope (Query `ErrorResponse`, S3 `<Error>`), with the HTTP status they carry.

export class AwsError extends Error {
  constructor(
    /** The wire error code, e.g. `InvalidParameterValue`, `TooManyApplicationsException`. */
    readonly code: string,
    message: string,
    /** HTTP status of the response. */
    readonly status: number = 400,
    /** `Sender` (the caller's fault) or `Receiver` (ours). */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
    /** Extra elements some S3 errors carry (`BucketName`, `Key`, ...). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AwsError';
  }
}
