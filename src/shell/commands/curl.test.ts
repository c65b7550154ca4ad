import { describe, it, expect, beforeAll } from 'vitest';
import { RequestCertificateCommand } from '@aws-sdk/client-acm';
import type { ManualClock } from '../../cloud/index.ts';
import { labShell, labWithEnvironment, APP } from '../test/lab.ts';

describe('curl', () => {
  let lab: Awaited<ReturnType<typeof labWithEnvironment>>;
  beforeAll(async () => {
    lab = await labWithEnvironment();
  });

  it('gets a page from the environment URL, answered by the simulated instance', async () => {
    const r = await lab.shell.exec(`curl http://${lab.cname}/`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('PetTracker');
  });

  it('shows the status line and headers with -i, and only the code with -s -o -w', async () => {
    const r = await lab.shell.exec(`curl -i ${lab.cname}/health`);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.stdout).toMatch(/\r\n\r\nok$/);
    const code = await lab.shell.exec(`curl -s -o /dev/null -w '%{http_code}' http://${lab.cname}/nowhere`);
    expect(code.stdout).toBe('404');
    const saved = await lab.shell.exec(`curl -s -o page.html http://${lab.cname}/`);
    expect(saved.stdout).toBe('');
    expect(await lab.fs.readFile(`${APP}/page.html`)).toContain('PetTracker');
  });

  it('fails with 22 under -f on HTTP errors', async () => {
    const r = await lab.shell.exec(`curl -f http://${lab.cname}/nowhere`);
    expect(r.exitCode).toBe(22);
    expect(r.stderr).toBe('curl: (22) The requested URL returned error: 404\n');
  });

  it('sends methods, headers and data', async () => {
    const r = await lab.shell.exec(`curl -s -X POST -H 'Content-Type: application/json' -d '{"name":"Rex"}' -w ' %{http_code}' http://${lab.cname}/pets`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('created 201');
  });

  it('cannot reach an environment that does not exist', async () => {
    const r = await lab.shell.exec('curl http://nothing-here.us-east-1.elasticbeanstalk.com/');
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(/^curl: \(6\) Could not resolve host: nothing-here\.us-east-1\.elasticbeanstalk\.com/);
  });
});

describe('curl outside the sandbox', () => {
  it('refuses other hosts, saying the lab is offline', async () => {
    const { shell } = await labShell();
    const r = await shell.exec('curl https://example.com/');
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain('curl: (6) Could not resolve host: example.com (the lab is offline');
    expect((await shell.exec('curl -s https://example.com/')).stderr).toBe('');
  });

  it('explains bad usage', async () => {
    const { shell } = await labShell();
    expect((await shell.exec('curl')).stderr).toMatch(/^curl: no URL specified/);
    expect((await shell.exec('curl -H nonsense http://x.elasticbeanstalk.com')).stderr).toMatch(/header 'nonsense' needs the form 'Name: value'/);
  });
});

describe('curl over HTTPS through the load balancer', () => {
  const DOMAIN = 'pettracker.example';
  let lab: Awaited<ReturnType<typeof labWithEnvironment>>;
  let clock: ManualClock;
  beforeAll(async () => {
    lab = await labWithEnvironment();
    clock = lab.cloud.clock as ManualClock;
    const { CertificateArn } = await lab.clients.acm.send(new RequestCertificateCommand({ DomainName: DOMAIN, ValidationMethod: 'DNS' }));
    await clock.advance(5 * 60_000);
    await lab.fs.writeFile(`${APP}/.ebextensions/https.config`, `option_settings:\n  aws:elbv2:listener:443:\n    Protocol: HTTPS\n    SSLCertificateArns: ${CertificateArn}\n`);
    await lab.fs.writeFile(
      `${APP}/.ebextensions/https-redirect.config`,
      'Resources:\n  AWSEBV2LoadBalancerListener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: { Ref: AWSEBV2LoadBalancer }\n      Port: 80\n      Protocol: HTTP\n      DefaultActions:\n        - Type: redirect\n          RedirectConfig: { Host: "#{host}", Path: "/#{path}", Port: "443", Protocol: "HTTPS", Query: "#{query}", StatusCode: HTTP_301 }\n',
    );
  });

  it('cannot connect to port 443 before there is a listener', async () => {
    const r = await lab.shell.exec(`curl https://${lab.cname}/`);
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toMatch(new RegExp(`^curl: \\(7\\) Failed to connect to ${lab.cname.replace(/\./g, '\\.')} port 443 after \\d+ ms: Couldn't connect to server\\n$`));
  });

  it('after eb deploy with the listener and the redirect: 301 on http, the certificate checked on https, -k and --connect-to, -L follows', async () => {
    const deploy = await lab.shell.exec('eb deploy');
    expect(deploy.exitCode).toBe(0);
    expect(deploy.stdout).toContain('Created Load Balancer listener named: arn:aws:elasticloadbalancing:us-east-1:');

    const redirect = await lab.shell.exec(`curl -i 'http://${lab.cname}/pets?sort=name'`);
    expect(redirect.exitCode).toBe(0);
    expect(redirect.stdout).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n/);
    expect(redirect.stdout).toContain(`location: https://${lab.cname}:443/pets?sort=name\r\n`);
    expect((await lab.shell.exec(`curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://${lab.cname}/`)).stdout).toBe(`301 https://${lab.cname}:443/`);

    // The certificate is for pettracker.example, not for the environment's CNAME.
    const mismatch = await lab.shell.exec(`curl https://${lab.cname}/`);
    expect(mismatch.exitCode).toBe(60);
    expect(mismatch.stderr).toMatch(new RegExp(`^curl: \\(60\\) SSL: no alternative certificate subject name matches target host name '${lab.cname.replace(/\./g, '\\.')}'\\nMore details here: https://curl.se/docs/sslcerts.html\\n`));
    const insecure = await lab.shell.exec(`curl -k https://${lab.cname}/`);
    expect(insecure).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('PetTracker') });
    const custom = await lab.shell.exec(`curl -s --connect-to ${DOMAIN}:443:${lab.cname}:443 https://${DOMAIN}/`);
    expect(custom).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('PetTracker') });
    expect((await lab.shell.exec(`curl -s https://www.${DOMAIN}/ --connect-to ::${lab.cname}:`)).exitCode).toBe(60);

    const followed = await lab.shell.exec(`curl -skL -w ' %{http_code} %{num_redirects} %{url_effective}' http://${lab.cname}/`);
    expect(followed.stdout).toMatch(new RegExp(`PetTracker.* 200 1 https://${lab.cname.replace(/\./g, '\\.')}:443/$`, 's'));
    expect((await lab.shell.exec(`curl -L http://${lab.cname}/`)).exitCode).toBe(60);
    expect((await lab.shell.exec(`curl -kL --max-redirs 0 http://${lab.cname}/`)).stderr).toBe('curl: (47) Maximum (0) redirects followed\n');
    const verbose = await lab.shell.exec(`curl -kv https://${lab.cname}/`);
    expect(verbose.stderr).toContain(`*  subjectAltName: ${DOMAIN}`);
    expect(verbose.stderr).toContain('> GET / HTTP/1.1');
  });

  it('explains a malformed --connect-to', async () => {
    const r = await lab.shell.exec(`curl --connect-to ${DOMAIN}:443 https://${DOMAIN}/`);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('HOST1:PORT1:HOST2:PORT2');
  });
});
