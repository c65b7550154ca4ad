// The nginx server-block rules inside one simulated instance: deployed from the bundle, run before the app in
// nginx's phase order (server rules, then the body size, then the location's rules), and refused by nginx -t.
import { describe, expect, it } from 'vitest';
import { findByShortName } from '../services/elasticbeanstalk/platforms.ts';
import { answerRequest, checkHealth, deployToInstance, inspectBundle, LOG_FILES } from './index.ts';
import { makeZip } from './zip-fixture.ts';

const node = findByShortName('node.js-22')!;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const CONF = '.platform/nginx/conf.d/elasticbeanstalk/10-rules.conf';
const APP = {
  'package.json': JSON.stringify({ name: 'pets', version: '1.0.0', scripts: { start: 'node server.js' } }),
  'server.js': "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 8080);\n",
};

function deploy(files: Record<string, string>, options: Record<string, string> = {}) {
  const report = inspectBundle(makeZip({ ...APP, ...files }), node, { versionLabel: 'v3' });
  return deployToInstance({ report, versionLabel: 'v3', instanceId: 'i-00000000000000001', isLeader: true, env: {}, options: (ns, name) => options[`${ns}/${name}`], platform: node, startedAt: T0 });
}

describe('nginx rules on an instance', () => {
  it('answers a server-level redirect before the body size check, and a location rule after it', () => {
    const r = deploy({ [CONF]: 'if ($http_x_forwarded_proto = "http") { return 301 https://$host$request_uri; }\nlocation /upload { proxy_pass http://127.0.0.1:8080; return 403; }\n' });
    expect(r.ok).toBe(true);
    const big = 'x'.repeat(2 * 1024 * 1024);
    const redirected = answerRequest(r.process, { method: 'POST', path: '/upload', body: big, headers: { host: 'pets.example', 'x-forwarded-proto': 'http' } });
    expect(redirected).toMatchObject({ status: 301, headers: { location: 'https://pets.example/upload', server: 'nginx', 'x-app-version': 'v3' } });
    expect(redirected.logs.map((l) => l.file)).toEqual([LOG_FILES.nginxAccess]);
    expect(redirected.logs[0].text).toMatch(/"POST \/upload HTTP\/1\.1" 301 \d+ /);
    expect(answerRequest(r.process, { method: 'POST', path: '/upload', body: big, headers: { 'x-forwarded-proto': 'https' } }).status).toBe(413);
    expect(answerRequest(r.process, { method: 'POST', path: '/upload', body: 'small', headers: { 'x-forwarded-proto': 'https' } }).status).toBe(403);
    expect(answerRequest(r.process, { method: 'GET', path: '/pets', headers: { 'x-forwarded-proto': 'https' } })).toMatchObject({ status: 200, body: 'ok' });
  });

  it('sends `return 200 text` as nginx does and leaves HEAD bodies empty', () => {
    const r = deploy({ [CONF]: 'location = /ping { return 200 "pong\\n"; }\n' });
    expect(answerRequest(r.process, { method: 'GET', path: '/ping' })).toMatchObject({ status: 200, body: 'pong\n', headers: { 'content-type': 'application/octet-stream', 'content-length': '5' } });
    expect(answerRequest(r.process, { method: 'HEAD', path: '/ping' }).body).toBe('');
  });

  it('fails the health check when the rules redirect it, with the code in the causes', () => {
    const r = deploy({ [CONF]: 'if ($http_x_forwarded_proto != "https") { return 301 https://$host$request_uri; }\n' });
    expect(checkHealth(r.process, { path: '/' })).toEqual({ healthy: false, status: 301, causes: ['Health checks failed with these codes: [301]'] });
    const exempt = deploy({ [CONF]: 'set $r 0;\nif ($http_x_forwarded_proto != "https") { set $r 1; }\nif ($http_user_agent ~* "ELB-HealthChecker") { set $r 0; }\nif ($r = 1) { return 301 https://$host$request_uri; }\n' });
    expect(checkHealth(exempt.process, { path: '/' })).toMatchObject({ healthy: true, status: 200 });
  });

  it('ignores the rules when the proxy is not nginx, and when a replacement nginx.conf drops the includes', () => {
    const rules = { [CONF]: 'return 403;\n' };
    const bare = deploy(rules, { 'aws:elasticbeanstalk:environment:proxy/ProxyServer': 'none', 'aws:elasticbeanstalk:environment:process:default/Port': '8080' });
    expect(answerRequest(bare.process, { method: 'GET', path: '/' })).toMatchObject({ status: 200, body: 'ok' });
    const replaced = deploy({ ...rules, '.platform/nginx/nginx.conf': 'events {}\nhttp { server { listen 80; location / { proxy_pass http://127.0.0.1:8080; } } }\n' });
    expect(replaced.process?.nginxRules).toBeUndefined();
  });

  it('stops the deployment at the proxy step when nginx -t refuses a file, with nginx\'s lines in eb-engine.log', () => {
    const r = deploy({ [CONF]: 'if ($http_x_forwarded_proto = "http") {\n    return 301 https://$host$request_uri;\n}\n}\n' });
    expect(r.ok).toBe(false);
    expect(r.failure?.step).toBe('configure proxy server');
    const engine = r.logs.filter((l) => l.file === LOG_FILES.engine).map((l) => l.text).join('\n');
    expect(engine).toContain('Running command /bin/sh -c /usr/sbin/nginx -t -c /var/proxy/staging/nginx/nginx.conf');
    expect(engine).toContain('Stderr:nginx: [emerg] unexpected "}" in /var/proxy/staging/nginx/conf.d/elasticbeanstalk/10-rules.conf:4\nnginx: configuration file /var/proxy/staging/nginx/nginx.conf test failed');
    expect(r.events.map((e) => e.message)).toContain("Instance deployment failed. For details, see 'eb-engine.log'.");
    expect(r.steps.map((s) => s.name)).not.toContain('FlipApplication');
  });
});
