// The Docker platform's container networking: nginx on the instance reaches the web server through the
// container's network interface, so a server bound to the container's loopback answers nothing.
import { describe, expect, it } from 'vitest';
import { findByShortName } from '../services/elasticbeanstalk/platforms.ts';
import { analyseDocker, listensOnContainerLoopback } from './docker-app.ts';
import { answerRequest, checkHealth, deployToInstance, inspectBundle, LOG_FILES } from './index.ts';
import { makeZip } from './zip-fixture.ts';

const docker = findByShortName('docker')!;
const python = findByShortName('python-3.13')!;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

const FASTAPI = {
  'requirements.txt': 'fastapi==0.115.6\ngunicorn==23.0.0\nuvicorn==0.34.0\n',
  'app/__init__.py': '',
  'app/main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/health")\ndef health():\n    return {"status": "ok"}\n',
};

function dockerfile(cmd: string, extra = ''): string {
  return `FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n${extra}EXPOSE 8000\nCMD ${cmd}\n`;
}

function deploy(files: Record<string, string>, platform = docker) {
  const report = inspectBundle(makeZip(files), platform, { versionLabel: 'v1' });
  return deployToInstance({ report, versionLabel: 'v1', instanceId: 'i-0000000000000000d', isLeader: true, env: {}, options: () => undefined, platform, startedAt: T0 });
}

describe('a Python server inside a Docker container', () => {
  it('answers through nginx when it listens on every interface', () => {
    for (const cmd of [
      '["gunicorn", "--bind", ":8000", "--worker-class", "uvicorn.workers.UvicornWorker", "app.main:app"]',
      '["gunicorn", "-b", "0.0.0.0:8000", "-k", "uvicorn.workers.UvicornWorker", "app.main:app"]',
      '["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]',
    ]) {
      const r = deploy({ ...FASTAPI, Dockerfile: dockerfile(cmd) });
      expect(r.ok, cmd).toBe(true);
      expect(answerRequest(r.process, { method: 'GET', path: '/health' }).status, cmd).toBe(200);
    }
  });

  it('gets 502 from nginx when it listens on 127.0.0.1: the deployment succeeds, the health check fails', () => {
    for (const cmd of [
      '["uvicorn", "app.main:app", "--port", "8000"]',
      '["gunicorn", "--bind", "127.0.0.1:8000", "-k", "uvicorn.workers.UvicornWorker", "app.main:app"]',
      'gunicorn --bind localhost:8000 -k uvicorn.workers.UvicornWorker app.main:app',
      '["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "app.main:app"]',
    ]) {
      const r = deploy({ ...FASTAPI, Dockerfile: dockerfile(cmd) });
      expect(r.ok, cmd).toBe(true);
      expect(r.process?.state, cmd).toBe('running');
      const answer = answerRequest(r.process, { method: 'GET', path: '/health' });
      expect(answer.status, cmd).toBe(502);
      expect(answer.logs.map((l) => l.text).join('\n'), cmd).toContain('connect() failed (111: Connection refused) while connecting to upstream');
      expect(checkHealth(r.process, { path: '/health' }).healthy, cmd).toBe(false);
    }
    // The app's own log says where it listens: the clue a learner reads in eb logs.
    const uvicorn = deploy({ ...FASTAPI, Dockerfile: dockerfile('["uvicorn", "app.main:app", "--port", "8000"]') });
    expect(uvicorn.logs.filter((l) => l.file === LOG_FILES.web).map((l) => l.text).join('\n')).toContain('Uvicorn running on http://127.0.0.1:8000');
  });

  it("follows Gunicorn's rule that a PORT variable without --bind means 0.0.0.0:$PORT", () => {
    const r = deploy({ ...FASTAPI, Dockerfile: dockerfile('["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "app.main:app"]', 'ENV PORT=8000\n') });
    expect(answerRequest(r.process, { method: 'GET', path: '/health' }).status).toBe(200);
  });

  it('leaves the Python platform alone, where nginx and Gunicorn share the instance and 127.0.0.1 is right', () => {
    const r = deploy({ ...FASTAPI, Procfile: 'web: gunicorn --bind 127.0.0.1:8000 -k uvicorn.workers.UvicornWorker app.main:app\n' }, python);
    expect(answerRequest(r.process, { method: 'GET', path: '/health' }).status).toBe(200);
  });

  it('decides from the command, the language in the image and the environment', () => {
    expect(listensOnContainerLoopback('uvicorn app.main:app', 'python', {})).toBe(true);
    expect(listensOnContainerLoopback('uvicorn app.main:app --host 0.0.0.0', 'python', {})).toBe(false);
    expect(listensOnContainerLoopback('gunicorn app.main:app', 'python', { PORT: '8000' })).toBe(false);
    expect(listensOnContainerLoopback('gunicorn --bind unix:/run/app.sock app.main:app', 'python', {})).toBe(false);
    expect(listensOnContainerLoopback('uvicorn app.main:app', undefined, {})).toBe(false);
    expect(listensOnContainerLoopback('python serve.py', 'python', {})).toBe(false);
    expect(analyseDocker({ text: new Map([['Dockerfile', dockerfile('["uvicorn", "app.main:app"]')]]), paths: new Set(['Dockerfile']) }).innerLanguage).toBe('python');
  });
});
