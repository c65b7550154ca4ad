// The nginx server-block rules: what `nginx -t` accepts or refuses (with its own words and line numbers), and
// what each request gets from set/if/return/rewrite/location.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { finishRules, nginxEmergLine, parseServerRules, startRules, type RuleRequest, type ServerRules } from './nginx-rules.ts';
import { CHAPTER_REDIRECT } from './test/chapter-nginx-redirect.ts';

const DIR = '.platform/nginx/conf.d/elasticbeanstalk/';


function rulesOf(text: string, name = '10-https-redirect.conf'): ServerRules {
  const parsed = parseServerRules([{ path: `${DIR}${name}`, text }]);
  if (!parsed.rules) throw new Error(`expected rules, got ${JSON.stringify(parsed.error)}`);
  return parsed.rules;
}

function errorOf(text: string, path = `${DIR}10-https-redirect.conf`): string {
  const parsed = parseServerRules([{ path, text }]);
  if (!parsed.error) throw new Error('expected nginx -t to refuse the file');
  return nginxEmergLine(parsed.error);
}

function request(uri: string, headers: Record<string, string> = {}, method = 'GET'): RuleRequest {
  return { method, requestUri: uri, headers: { host: 'pettracker.example', ...headers }, remoteAddr: '172.31.5.6', now: Date.UTC(2026, 10, 23, 9) };
}

/** Where one request ends up: nginx's own answer, or the app with this URI. */
function outcome(rules: ServerRules, req: RuleRequest) {
  const run = startRules(rules, req);
  return run.answer ?? finishRules(rules, run.state);
}

describe('the chapter 10 redirect', () => {
  const rules = rulesOf(CHAPTER_REDIRECT);

  it('redirects what the load balancer received over HTTP to the same URL on https', () => {
    expect(outcome(rules, request('/pets/7?sort=name', { 'x-forwarded-proto': 'http' }))).toEqual({ t: 'return', status: 301, location: 'https://pettracker.example/pets/7?sort=name' });
  });

  it('passes HTTPS requests, health checks and requests without X-Forwarded-Proto to the app', () => {
    expect(outcome(rules, request('/pets', { 'x-forwarded-proto': 'https' }))).toEqual({ t: 'proxy', uri: '/pets', args: '' });
    expect(outcome(rules, request('/health', { 'x-forwarded-proto': 'http', 'user-agent': 'ELB-HealthChecker/2.0' }))).toMatchObject({ t: 'proxy' });
    expect(outcome(rules, request('/', {}))).toMatchObject({ t: 'proxy' });
  });

  it('uses $host without the port, lower-cased, as nginx does', () => {
    expect(outcome(rules, request('/', { host: 'PetTracker.Example:80', 'x-forwarded-proto': 'http' }))).toMatchObject({ location: 'https://pettracker.example/' });
  });
});

describe('conditions and variables', () => {
  it('compares, negates and matches with and without case', () => {
    const rules = rulesOf(`
      if ($request_method != GET) { return 405; }
      if ($http_x_test ~ "^Ab+c$") { return 200 "case-sensitive $1"; }
      if ($http_x_test ~* '^ab+c$') { return 200 "caseless"; }
      if ($http_x_test !~* "z") { return 200 "no z in '$http_x_test'"; }
      if ($http_x_other) { return 200 "set: $http_x_other"; }
    `);
    expect(outcome(rules, request('/', {}, 'POST'))).toEqual({ t: 'return', status: 405 });
    expect(outcome(rules, request('/', { 'x-test': 'Abbc' }))).toEqual({ t: 'return', status: 200, body: 'case-sensitive ' });
    expect(outcome(rules, request('/', { 'x-test': 'ABBC' }))).toEqual({ t: 'return', status: 200, body: 'caseless' });
    expect(outcome(rules, request('/', { 'x-test': 'xyz' }))).toMatchObject({ t: 'proxy' });
    expect(outcome(rules, request('/', { 'x-test': 'hello' }))).toEqual({ t: 'return', status: 200, body: "no z in 'hello'" });
    expect(outcome(rules, request('/', { 'x-test': 'zz', 'x-other': '0' }))).toMatchObject({ t: 'proxy' });
    expect(outcome(rules, request('/', { 'x-test': 'zz', 'x-other': 'yes' }))).toEqual({ t: 'return', status: 200, body: 'set: yes' });
  });

  it('captures regex groups into $1, reads query arguments, cookies and the request line', () => {
    const rules = rulesOf(`
      if ($uri ~ "^/old/(.*)$") { return 302 /new/$1$is_args$args; }
      if ($arg_debug = 1) { return 200 "$request | $cookie_session | $remote_addr | $scheme"; }
    `);
    expect(outcome(rules, request('/old/a/b?x=1'))).toEqual({ t: 'return', status: 302, location: 'http://pettracker.example/new/a/b?x=1' });
    expect(outcome(rules, request('/p?debug=1', { cookie: 'theme=dark; session=abc=1' }))).toEqual({ t: 'return', status: 200, body: 'GET /p?debug=1 HTTP/1.1 | abc=1 | 172.31.5.6 | http' });
  });

  it('sees $scheme as http even for HTTPS requests: TLS ends at the load balancer', () => {
    const rules = rulesOf('if ($scheme = http) { return 301 https://$host$request_uri; }');
    expect(outcome(rules, request('/', { 'x-forwarded-proto': 'https' }))).toMatchObject({ status: 301, location: 'https://pettracker.example/' });
  });

  it('returns a bare URL as a 302, and a code alone without a body', () => {
    expect(outcome(rulesOf('return https://www.$host$request_uri;'), request('/a'))).toEqual({ t: 'return', status: 302, location: 'https://www.pettracker.example/a' });
    expect(outcome(rulesOf('return 403;'), request('/a'))).toEqual({ t: 'return', status: 403 });
  });
});

describe('rewrite and location', () => {
  it('redirects with rewrite ... permanent and redirect, keeping or dropping the arguments', () => {
    const rules = rulesOf(`
      rewrite ^/blog/(.*)$ /articles/$1 permanent;
      rewrite ^/tmp/(.*)$ /scratch/$1? redirect;
      rewrite ^/ext/(.*)$ https://cdn.example/$1;
    `);
    expect(outcome(rules, request('/blog/x?page=2'))).toEqual({ t: 'return', status: 301, location: 'http://pettracker.example/articles/x?page=2' });
    expect(outcome(rules, request('/tmp/y?page=2'))).toEqual({ t: 'return', status: 302, location: 'http://pettracker.example/scratch/y' });
    expect(outcome(rules, request('/ext/z.png'))).toEqual({ t: 'return', status: 302, location: 'https://cdn.example/z.png' });
  });

  it('rewrites the URI the app sees, and detects a rewrite cycle', () => {
    expect(outcome(rulesOf('rewrite ^/api/v1/(.*)$ /$1 last;'), request('/api/v1/pets?x=1'))).toEqual({ t: 'proxy', uri: '/pets', args: 'x=1' });
    const cycle = rulesOf('location /a { rewrite ^/a(.*)$ /a/a$1 last; }');
    expect(outcome(cycle, request('/a'))).toMatchObject({ t: 'cycle' });
  });

  it('chooses exact, then ^~, then regex, then the longest prefix location, as nginx does', () => {
    const rules = rulesOf(`
      location = /health { return 200 "exact"; }
      location ^~ /static/ { return 200 "static"; }
      location ~* \\.(png|jpg)$ { return 200 "image"; }
      location /admin { proxy_pass http://127.0.0.1:8080; if ($http_x_admin != yes) { return 403; } }
      location /files { }
    `);
    expect(outcome(rules, request('/health'))).toEqual({ t: 'return', status: 200, body: 'exact' });
    expect(outcome(rules, request('/static/a.png'))).toEqual({ t: 'return', status: 200, body: 'static' });
    expect(outcome(rules, request('/pets/a.PNG'))).toEqual({ t: 'return', status: 200, body: 'image' });
    expect(outcome(rules, request('/admin/x'))).toEqual({ t: 'return', status: 403 });
    expect(outcome(rules, request('/admin/x', { 'x-admin': 'yes' }))).toMatchObject({ t: 'proxy', uri: '/admin/x' });
    expect(outcome(rules, request('/files/a'))).toEqual({ t: 'no-file', uri: '/files/a' });
    expect(outcome(rules, request('/pets'))).toMatchObject({ t: 'proxy' });
  });

  it('runs files in name order and later ones see variables set earlier', () => {
    const parsed = parseServerRules([
      { path: `${DIR}20-use.conf`, text: 'if ($flag) { return 418; }' },
      { path: `${DIR}10-set.conf`, text: 'set $flag 1;' },
    ]);
    expect(outcome(parsed.rules!, request('/'))).toEqual({ t: 'return', status: 418 });
  });

  it('ignores directives that do not change the answer, and comments', () => {
    const rules = rulesOf('# redirect\ngzip on;\nadd_header X-Frame-Options DENY;\nproxy_set_header Host $host;\nclient_max_body_size 20M;\n');
    expect(rules.statements).toEqual([]);
    expect(outcome(rules, request('/'))).toMatchObject({ t: 'proxy' });
  });
});

describe('what nginx -t refuses', () => {
  it('reports unbalanced braces and missing semicolons with the file and line', () => {
    expect(errorOf('if ($http_x_forwarded_proto = "http") {\n    return 301 https://$host$request_uri;\n}\n}\n')).toBe(
      'nginx: [emerg] unexpected "}" in /var/proxy/staging/nginx/conf.d/elasticbeanstalk/10-https-redirect.conf:4',
    );
    expect(errorOf('if ($a = 1) {\n  return 403;\n')).toBe('nginx: [emerg] unexpected end of file, expecting "}" in /var/proxy/staging/nginx/conf.d/elasticbeanstalk/10-https-redirect.conf:3');
    expect(errorOf('set $a 1\n}')).toMatch(/\[emerg\] unexpected "}" in .*:2$/);
    expect(errorOf('return 301 https://$host')).toMatch(/\[emerg\] unexpected end of file, expecting ";" or "}" in .*:1$/);
  });

  it('refuses an if without parentheses or braces, and a return with a non-numeric code', () => {
    expect(errorOf('set $r 0;\nif $http_x_forwarded_proto = "http" {\n  set $r 1;\n}')).toMatch(/\[emerg\] invalid condition "\$http_x_forwarded_proto" in .*:2$/);
    expect(errorOf('if ($a = 1) return 403;')).toMatch(/\[emerg\] directive "if" has no opening "\{" in .*:1$/);
    expect(errorOf('return moved https://example.com;')).toMatch(/\[emerg\] invalid return code "moved" in .*:1$/);
    expect(errorOf('if ($a == 1) { return 403; }')).toMatch(/\[emerg\] unexpected "==" in condition in .*:1$/);
    expect(errorOf('if ($a ~ "(") { return 403; }')).toMatch(/\[emerg\] pcre2_compile\(\) failed: .* in "\(" in .*:1$/);
  });

  it('refuses unknown variables, wrong argument counts and a second location /', () => {
    expect(errorOf('\nif ($redirect_to_htps = 1) {\n  return 301 https://$host$request_uri;\n}')).toMatch(/\[emerg\] unknown "redirect_to_htps" variable in .*:2$/);
    expect(errorOf('set $a;')).toMatch(/\[emerg\] invalid number of arguments in "set" directive in .*:1$/);
    expect(errorOf('location / {\n  return 301 https://$host$request_uri;\n}')).toMatch(/\[emerg\] duplicate location "\/" in .*:1$/);
  });

  it('refuses server-block directives at the http level of conf.d/*.conf', () => {
    expect(errorOf('client_max_body_size 10M;\nif ($a) { return 403; }', '.platform/nginx/conf.d/redirect.conf')).toBe(
      'nginx: [emerg] "if" directive is not allowed here in /var/proxy/staging/nginx/conf.d/redirect.conf:2',
    );
  });

  it('accepts a replacement 00_application.conf that brings its own location /', () => {
    const parsed = parseServerRules([{ path: `${DIR}00_application.conf`, text: 'location / {\n  proxy_pass http://127.0.0.1:8080;\n}\n' }]);
    expect(parsed.error).toBeUndefined();
    expect(parsed.rules?.locations).toHaveLength(1);
  });

  it('never throws on arbitrary text', () => {
    for (const text of ['"', "'unterminated", '{', '}', ';', '${', 'if (', 'if () {}', 'location {}', '\u0000\u0001', 'set $a "b"c;', 'return 1000;']) {
      expect(() => parseServerRules([{ path: `${DIR}x.conf`, text }])).not.toThrow();
      expect(parseServerRules([{ path: `${DIR}x.conf`, text }]).error).toBeDefined();
    }
  });

  it('parses any text built from nginx syntax without throwing, and runs whatever it accepts on any request', () => {
    const piece = fc.constantFrom('if', '(', ')', '($a', '$a)', '$http_x_y', '=', '!=', '~*', '"x y"', "'", '{', '}', ';', 'set', '$a', '1', 'return', '301', 'https://$host$request_uri', 'rewrite', '^/(.*)$', '/$1', 'last', 'break', 'location', '/p', '=', '~', '\n', ' ', '#c\n', '$', '${a}');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.string(), (pieces, path) => {
        const parsed = parseServerRules([{ path: `${DIR}x.conf`, text: pieces.join(' ') }]);
        expect(Boolean(parsed.rules) !== Boolean(parsed.error)).toBe(true);
        if (parsed.rules) outcome(parsed.rules, request(`/${path}`, { 'x-y': path }));
      }),
      { numRuns: 400 },
    );
  });
});
