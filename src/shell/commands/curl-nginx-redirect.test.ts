// curl against an environment whose instances' nginx redirects HTTP to HTTPS (.platform/nginx/conf.d/elasticbeanstalk):
// the chapter's X-Forwarded-Proto rule is followed once with -L; a rule on $scheme redirects forever, since nginx on
// the instance sees plain HTTP even for HTTPS requests, and curl -L gives up with its own error 47.
import { describe, it, expect, beforeAll } from 'vitest';
import { RequestCertificateCommand } from '@aws-sdk/client-acm';
import type { ManualClock } from '../../cloud/index.ts';
import { DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { labShell, APP, NODE_APP } from '../test/lab.ts';
import { CHAPTER_REDIRECT } from '../../cloud/instance/test/chapter-nginx-redirect.ts';

const CONF = `${APP}/.platform/nginx/conf.d/elasticbeanstalk/10-https-redirect.conf`;
const SCHEME_LOOP = 'if ($scheme = http) {\n    return 301 https://$host$request_uri;\n}\n';

describe('curl and a redirect in the instances\' nginx', () => {
  let lab: Awaited<ReturnType<typeof labShell>>;
  let cname: string;
  beforeAll(async () => {
    lab = await labShell({ ...NODE_APP, '.platform/nginx/conf.d/elasticbeanstalk/10-https-redirect.conf': CHAPTER_REDIRECT });
    const { CertificateArn } = await lab.clients.acm.send(new RequestCertificateCommand({ DomainName: 'pettracker.example', ValidationMethod: 'DNS' }));
    await (lab.cloud.clock as ManualClock).advance(5 * 60_000);
    await lab.fs.mkdir(`${APP}/.ebextensions`, { recursive: true });
    await lab.fs.writeFile(`${APP}/.ebextensions/https.config`, `option_settings:\n  aws:elbv2:listener:443:\n    Protocol: HTTPS\n    SSLCertificateArns: ${CertificateArn}\n`);
    await lab.shell.exec('eb init pettracker-web --platform node.js --region us-east-1');
    const create = await lab.shell.exec('eb create pettracker-web-staging --elb-type application');
    if (create.exitCode !== 0) throw new Error(`eb create failed: ${create.stderr}`);
    const described = await lab.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-staging'] }));
    cname = described.Environments![0].CNAME!;
  });

  it("follows the chapter's X-Forwarded-Proto rule once, to the app over HTTPS", async () => {
    const redirect = await lab.shell.exec(`curl -i http://${cname}/health`);
    expect(redirect.stdout).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n/);
    expect(redirect.stdout).toContain(`location: https://${cname}/health\r\n`);
    expect(redirect.stdout).toMatch(/server: nginx\r\n/);
    const followed = await lab.shell.exec(`curl -skL -w ' %{http_code} %{num_redirects} %{url_effective}' http://${cname}/health`);
    expect(followed.stdout).toBe(`ok 200 1 https://${cname}/health`);
  });

  it('stops after 50 redirects with curl -L when the rule tests $scheme (the instance always sees http)', async () => {
    await lab.fs.writeFile(CONF, SCHEME_LOOP);
    // The health checks are redirected too, so the deployment ends with the environment Severe; eb deploy may wait on.
    await lab.shell.exec('eb deploy --timeout 15');
    const once = await lab.shell.exec(`curl -sk -o /dev/null -w '%{http_code} %{redirect_url}' https://${cname}/pets`);
    expect(once.stdout).toBe(`301 https://${cname}/pets`);
    const followed = await lab.shell.exec(`curl -kL http://${cname}/`);
    expect(followed.exitCode).toBe(47);
    expect(followed.stderr).toBe('curl: (47) Maximum (50) redirects followed\n');
  });
});
