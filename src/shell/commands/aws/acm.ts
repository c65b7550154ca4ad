// `aws acm <operation>` and `aws acm wait certificate-validated`: certificates through the lab's ACM client,
// the waiter polling on the cloud's clock with botocore's delay, attempts and acceptors.
import type { ServiceOperation } from './elasticbeanstalk.ts';
import { S, L, LS, ST } from './params.ts';


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

