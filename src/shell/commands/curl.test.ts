import { describe, it, expect, beforeAll } from 'vitest';
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
