// The SDK side of `aws acm`: each operation's command and the certificate-validated waiter's poll; imported when
// an acm operation first runs, so the ACM SDK package is downloaded only by labs that use it.
import {
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  AddTagsToCertificateCommand,
  RemoveTagsFromCertificateCommand,
  RequestCertificateCommand,
  type ACMClient,
  type DescribeCertificateCommandOutput,
} from '@aws-sdk/client-acm';

export type CommandClass = new (input: never) => unknown;

export const acmCommands: Record<string, CommandClass> = {
  AddTagsToCertificate: AddTagsToCertificateCommand,
  DeleteCertificate: DeleteCertificateCommand,
  DescribeCertificate: DescribeCertificateCommand,
  GetCertificate: GetCertificateCommand,
  ListCertificates: ListCertificatesCommand,
  ListTagsForCertificate: ListTagsForCertificateCommand,
  RemoveTagsFromCertificate: RemoveTagsFromCertificateCommand,
  RequestCertificate: RequestCertificateCommand,
};

export type WaiterOutcome = { state: 'success' } | { state: 'retry' } | { state: 'failure'; reason: string };

/** One poll of `certificate-validated`, judged by the waiter's acceptors in their order. */
export async function pollCertificateValidated(acm: Pick<ACMClient, 'send'>, certificateArn: string): Promise<WaiterOutcome> {
  let described: DescribeCertificateCommandOutput;
  try {
    described = await acm.send(new DescribeCertificateCommand({ CertificateArn: certificateArn }));
  } catch (error) {
    const code = (error as { name?: string }).name ?? 'Unknown';
    if (code === 'ResourceNotFoundException') return { state: 'failure', reason: 'Waiter encountered a terminal failure state: Matched expected service error code: ResourceNotFoundException' };
    throw error;
  }
  const statuses = (described.Certificate?.DomainValidationOptions ?? []).map((o) => o.ValidationStatus);
  if (statuses.length > 0 && statuses.every((s) => s === 'SUCCESS')) return { state: 'success' };
  if (statuses.some((s) => s === 'PENDING_VALIDATION')) return { state: 'retry' };
  if (described.Certificate?.Status === 'FAILED') {
    return { state: 'failure', reason: 'Waiter encountered a terminal failure state: For expression "Certificate.Status" we matched expected path: "FAILED"' };
  }
  return { state: 'retry' };
}
