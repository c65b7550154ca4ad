// `aws acm <operation>` and `aws acm wait certificate-validated`: certificates through the lab's ACM client,
// the waiter polling on the cloud's clock with botocore's delay, attempts and acceptors.
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
import type { ServiceOperation } from './elasticbeanstalk.ts';
import { S, L, LS, ST } from './params.ts';


type CommandClass = new (input: never) => unknown;

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

const arn = { 'certificate-arn': S };

export const acmOperations: Record<string, ServiceOperation> = {
  'request-certificate': {
    operation: 'RequestCertificate',
    summary: 'Requests a public certificate; with DNS validation it is issued once the validation record is in place.',
    example: 'aws acm request-certificate --domain-name pettracker.example.com --validation-method DNS --subject-alternative-names www.pettracker.example.com',
    params: {
      'domain-name': S,
      'validation-method': S,
      'subject-alternative-names': L,
      'idempotency-token': S,
      'domain-validation-options': LS,
      options: ST,
      'certificate-authority-arn': S,
      tags: LS,
      'key-algorithm': S,
      'managed-by': S,
    },
    required: ['domain-name'],
  },
  'describe-certificate': {
    operation: 'DescribeCertificate',
    summary: 'Status, domains, DNS validation records and dates of a certificate.',
    example: 'aws acm describe-certificate --certificate-arn arn:aws:acm:us-east-1:000000000000:certificate/... --query Certificate.Status',
    params: arn,
    required: ['certificate-arn'],
  },
  'list-certificates': {
    operation: 'ListCertificates',
    summary: 'Lists certificates of the region (filter with --certificate-statuses ISSUED PENDING_VALIDATION).',
    params: { 'certificate-statuses': L, includes: ST, 'next-token': S, 'sort-by': S, 'sort-order': S },
    paginate: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxItems', resultKeys: ['CertificateSummaryList'] },
  },
  'get-certificate': {
    operation: 'GetCertificate',
    summary: 'The issued certificate and its chain, PEM-encoded.',
    params: arn,
    required: ['certificate-arn'],
  },
  'delete-certificate': {
    operation: 'DeleteCertificate',
    summary: 'Deletes a certificate that no load balancer uses.',
    params: arn,
    required: ['certificate-arn'],
  },
  'add-tags-to-certificate': { operation: 'AddTagsToCertificate', params: { ...arn, tags: LS }, required: ['certificate-arn', 'tags'] },
  'remove-tags-from-certificate': { operation: 'RemoveTagsFromCertificate', params: { ...arn, tags: LS }, required: ['certificate-arn', 'tags'] },
  'list-tags-for-certificate': { operation: 'ListTagsForCertificate', params: arn, required: ['certificate-arn'] },
};

/** botocore's acm waiter (waiters-2.json): every 60 s, at most 40 times. */
export const CERTIFICATE_VALIDATED = { delayMs: 60_000, maxAttempts: 40 };

export type WaiterOutcome = { state: 'success' } | { state: 'retry' } | { state: 'failure'; reason: string };

/** One poll of `certificate-validated`, judged by the waiter's acceptors in their order. */
export async function pollCertificateValidated(acm: ACMClient, certificateArn: string): Promise<WaiterOutcome> {
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
