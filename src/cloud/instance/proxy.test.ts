// The proxy's answers where its per-request shortcuts could go wrong: byte counts of non-ASCII bodies, dates across
// second boundaries, remembered route matches, and case-insensitive headers.

import { describe, expect, it } from 'vitest';
import { answerRequest, routeMatches } from './proxy.ts';
import type { AppProcess, AppRoute } from './types.ts';

function flaskProcess(routes: AppRoute[]): AppProcess {
  return {
    instanceId: 'i-0123456789abcdef0',
    versionLabel: 'v1',
    deploymentId: 1,
    command: 'gunicorn --bind :8000 application:application',
    commandSource: 'platform-default',
    state: 'running',
    listenPort: 8000,
    upstreamPort: 8000,
    proxyServer: 'nginx',
    clientMaxBodySize: 10 * 1024 * 1024,
    routes,
    answersEveryPath: false,
    notFound: { body: 'not found', contentType: 'text/html' },
    framework: 'flask',
    startedAt: 0,
  };
}

describe('answerRequest', () => {
  it('counts content-length in UTF-8 bytes, as the body is sent (accents, emoji, a lone surrogate)', () => {
    const bodies = ['plain', 'café', '🐶 pets', 'half \ud83d of a pair'];
    for (const body of bodies) {
      const process = flaskProcess([{ method: 'GET', path: '/', status: 200, body, contentType: 'text/plain' }]);
      const res = answerRequest(process, { method: 'GET', path: '/', now: 0 });
      expect(res.headers['content-length']).toBe(String(new TextEncoder().encode(body).length));
    }
  });

  it('dates each response and access-log line with its own second, also after many requests in one second', () => {
    const process = flaskProcess([{ method: 'GET', path: '/', status: 200, body: 'ok', contentType: 'text/plain' }]);
    const t = Date.UTC(2026, 10, 23, 12, 0, 59, 0);
    for (const ms of [t, t + 500, t + 999, t + 1000, t + 61_000]) {
      const res = answerRequest(process, { method: 'GET', path: '/', now: ms });
      expect(res.headers.date).toBe(new Date(ms).toUTCString());
      const d = new Date(ms);
      const stamp = `${String(d.getUTCDate()).padStart(2, '0')}/Nov/2026:${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')} +0000`;
      expect(res.logs[0].text).toContain(`[${stamp}]`);
    }
  });

  it('answers the same path the same way every time, and a changed route table is read afresh', () => {
    const pets: AppRoute = { method: 'GET', path: '/pets/<int:id>', status: 200, body: 'a pet', contentType: 'text/plain' };
    const process = flaskProcess([pets]);
    for (let i = 0; i < 3; i++) {
      expect(answerRequest(process, { method: 'GET', path: '/pets/7' }).status).toBe(200);
      expect(answerRequest(process, { method: 'GET', path: '/pets/x' }).status).toBe(404);
      const post = answerRequest(process, { method: 'POST', path: '/pets/7' });
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
    }
    const redeployed = flaskProcess([{ ...pets, path: '/pets/<id>' }]);
    expect(answerRequest(redeployed, { method: 'GET', path: '/pets/x' }).status).toBe(200);
    expect(routeMatches('/pets/<int:id>', '/pets/x')).toBe(false);
  });

  it('reads Host, User-Agent and X-Forwarded-For whatever their case into the nginx logs', () => {
    const process = flaskProcess([]);
    process.upstreamPort = 0;
    const res = answerRequest(process, {
      method: 'GET',
      path: '/missing',
      headers: { Host: 'pets.example.com', 'User-Agent': 'curl/8.5.0', 'X-Forwarded-For': '198.51.100.7' },
      now: 0,
    });
    expect(res.status).toBe(404);
    const access = res.logs.find((l) => l.file.includes('access'))?.text ?? '';
    expect(access).toContain('"curl/8.5.0" "198.51.100.7"');
    const error = res.logs.find((l) => l.file.includes('error'))?.text ?? '';
    expect(error).toContain('host: "pets.example.com"');
  });
});
