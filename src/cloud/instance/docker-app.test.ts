// The Docker platform's container networking: nginx on the instance reaches the web server through the
// container's network interface, so a server bound to the container's loopback answers nothing.
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  RequestEnvironmentInfoCommand,
  RetrieveEnvironmentInfoCommand,
  type ConfigurationOptionSetting,
} from '@aws-sdk/client-elastic-beanstalk';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { clientsForCloud } from '../../aws/index.ts';
import { createCloud, ManualClock } from '../index.ts';
import { findByShortName } from '../services/elasticbeanstalk/platforms.ts';
import { NODE_STACK, PYTHON_STACK } from '../services/elasticbeanstalk/test-helpers.ts';
import { analyseDocker, listensOnContainerLoopback } from './docker-app.ts';
import { answerRequest, checkHealth, deployToInstance, inspectBundle, LOG_FILES } from './index.ts';
import { makeZip } from './zip-fixture.ts';

const docker = findByShortName('docker')!;
const python = findByShortName('python-3.13')!;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const ACCOUNT = '000000000000';

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

// The same mistake with Flask's development server and Node's listen(port, host), through the real SDK clients
// against the sandbox cloud: deploy, request the environment's URL, read its health and its tail logs.
describe('every server the sandbox runs, bound to the loopback inside a container', () => {
  const DOCKER_STACK = docker.solutionStackName;
  const ENHANCED: ConfigurationOptionSetting = { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' };

  function flaskApp(run: string): Record<string, string> {
    return {
      'requirements.txt': 'flask==3.1.0\n',
      'app.py':
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n    return "PetTracker"\n\n\n' +
        `if __name__ == "__main__":\n    ${run}\n`,
    };
  }
  const flaskDockerfile = 'FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 5000\nCMD ["python", "app.py"]\n';
  // PORT is 5000 in the container (EXPOSE) and 8000 on the Python platform, where nginx forwards to 8000.
  const FLASK_PORT = 'port=int(os.environ.get("PORT", 5000))';

  function nodeServer(listen: string, express = false): Record<string, string> {
    return express
      ? {
          'package.json': JSON.stringify({ name: 'pettracker', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.2' } }),
          'node_modules/express/package.json': JSON.stringify({ name: 'express', version: '4.21.2', main: 'index.js' }),
          'node_modules/express/index.js': 'module.exports = function express() {};\n',
          'server.js': `const express = require('express');\nconst app = express();\nconst port = process.env.PORT || 8080;\napp.get('/', (req, res) => res.send('PetTracker'));\n${listen}\n`,
        }
      : {
          'package.json': JSON.stringify({ name: 'pettracker', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: {} }),
          'server.js': `const http = require('http');\nconst port = process.env.PORT || 8080;\nconst server = http.createServer((req, res) => {\n  res.writeHead(200, { 'content-type': 'text/plain' });\n  res.end('PetTracker');\n});\n${listen}\n`,
        };
  }
  const nodeDockerfile = 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install --omit=dev\nEXPOSE 8080\nCMD ["node", "server.js"]\n';

  /** Deploys one bundle to a fresh environment and reports what a learner sees. */
  async function launch(stack: string, files: Record<string, string>) {
    const clock = new ManualClock();
    const cloud = createCloud({ clock, log: () => {} });
    const aws = clientsForCloud(cloud, { region: 'us-east-1' });
    const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
    await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: 'pettracker/v1.zip', Body: makeZip(files) }));
    await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker', VersionLabel: 'v1', SourceBundle: { S3Bucket, S3Key: 'pettracker/v1.zip' } }));
    const created = await aws.eb.send(new CreateEnvironmentCommand({ ApplicationName: 'pettracker', EnvironmentName: 'pets', VersionLabel: 'v1', SolutionStackName: stack, OptionSettings: [ENHANCED] }));
    await clock.advance(10 * 60_000);
    const env = (await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pets'] }))).Environments![0];
    const events = ((await aws.eb.send(new DescribeEventsCommand({ EnvironmentName: 'pets', RequestId: created.$metadata.requestId }))).Events ?? []).map((e) => e.Message!);
    const answer = await cloud.evidence.request(ACCOUNT, { url: `http://${env.CNAME}/`, method: 'GET', headers: {} });
    await aws.eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: 'pets', InfoType: 'tail' }));
    await clock.advance(60_000);
    const info = await aws.eb.send(new RetrieveEnvironmentInfoCommand({ EnvironmentName: 'pets', InfoType: 'tail' }));
    const [, bucket, ...key] = new URL(info.EnvironmentInfo![0].Message!).pathname.split('/');
    const logs = await (await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key.map(decodeURIComponent).join('/') }))).Body!.transformToString();
    return { env, events, status: answer.status, logs };
  }

  async function expectRefused(stack: string, files: Record<string, string>, label: string) {
    const r = await launch(stack, files);
    expect(r.events, label).toContain('Instance deployment completed successfully.');
    expect(r.status, label).toBe(502);
    expect(r.env.HealthStatus, label).toBe('Severe');
    expect(r.env.Health, label).toBe('Red');
    const nginxLog = r.logs.slice(r.logs.indexOf('/var/log/nginx/error.log'));
    expect(nginxLog, label).toContain('connect() failed (111: Connection refused) while connecting to upstream');
    return r;
  }

  async function expectServed(stack: string, files: Record<string, string>, label: string) {
    const r = await launch(stack, files);
    expect(r.status, label).toBe(200);
    expect(r.env.HealthStatus, label).toBe('Ok');
    expect(r.env.Health, label).toBe('Green');
    return r;
  }

  it("Flask's app.run() binds 127.0.0.1 by default: deployed, 502, Severe, and the app's log says where it listens", async () => {
    const r = await expectRefused(DOCKER_STACK, { ...flaskApp(`app.run(${FLASK_PORT})`), Dockerfile: flaskDockerfile }, 'app.run()');
    expect(r.logs).toContain(' * Running on http://127.0.0.1:5000');
    await expectRefused(DOCKER_STACK, { ...flaskApp(`app.run(host="localhost", ${FLASK_PORT})`), Dockerfile: flaskDockerfile }, 'host="localhost"');
    await expectRefused(DOCKER_STACK, { ...flaskApp(`app.run("127.0.0.1", 5000)`), Dockerfile: flaskDockerfile }, 'positional 127.0.0.1');
  });

  it('Flask with app.run(host="0.0.0.0") answers through nginx and is Green', async () => {
    const r = await expectServed(DOCKER_STACK, { ...flaskApp(`app.run(host="0.0.0.0", ${FLASK_PORT})`), Dockerfile: flaskDockerfile }, 'host="0.0.0.0"');
    expect(r.logs).toContain(' * Running on all addresses (0.0.0.0)');
    await expectServed(DOCKER_STACK, { ...flaskApp(`app.run(host=os.environ.get("HOST", "0.0.0.0"), ${FLASK_PORT})`), Dockerfile: flaskDockerfile }, 'HOST fallback');
  });

  it("Node's listen(port, '127.0.0.1'), Express's listen(port, 'localhost') and listen({ port, host: 'localhost' }) get 502 in a container", async () => {
    await expectRefused(DOCKER_STACK, { ...nodeServer("server.listen(port, '127.0.0.1');"), Dockerfile: nodeDockerfile }, "listen(port, '127.0.0.1')");
    await expectRefused(DOCKER_STACK, { ...nodeServer("app.listen(port, 'localhost', () => console.log(`listening on ${port}`));", true), Dockerfile: nodeDockerfile }, "app.listen(port, 'localhost')");
    await expectRefused(DOCKER_STACK, { ...nodeServer("server.listen({ port, host: 'localhost' });"), Dockerfile: nodeDockerfile }, 'listen({ port, host })');
    await expectRefused(DOCKER_STACK, { ...nodeServer("const HOST = process.env.HOST || '127.0.0.1';\nserver.listen(port, HOST);"), Dockerfile: nodeDockerfile }, 'HOST constant');
  });

  it("Node's listen(port) binds every interface and is Green in a container", async () => {
    await expectServed(DOCKER_STACK, { ...nodeServer('server.listen(port);'), Dockerfile: nodeDockerfile }, 'listen(port)');
    await expectServed(DOCKER_STACK, { ...nodeServer("server.listen(port, '0.0.0.0');"), Dockerfile: nodeDockerfile }, "listen(port, '0.0.0.0')");
    await expectServed(DOCKER_STACK, { ...nodeServer("app.listen(port, () => console.log('up'));", true), Dockerfile: nodeDockerfile }, 'listen(port, callback)');
  });

  it('the same loopback apps are Green on the Node.js and Python platforms, where nginx runs beside them', async () => {
    await expectServed(NODE_STACK, nodeServer("server.listen(port, '127.0.0.1');"), 'Node.js platform, 127.0.0.1');
    await expectServed(NODE_STACK, nodeServer("app.listen(port, 'localhost');", true), 'Node.js platform, localhost');
    await expectServed(PYTHON_STACK, { ...flaskApp(`app.run(${FLASK_PORT})`), Procfile: 'web: python app.py\n' }, 'Python platform, app.run()');
  });
});

describe('the bind host read from the source and the command decides whether nginx reaches the container', () => {
  // 502: bound to the container's loopback; 200: reachable (or bound by an expression the reader does not judge).
  function statusOf(files: Record<string, string>): number {
    const r = deploy(files);
    expect(r.process?.state).toBe('running');
    return answerRequest(r.process, { method: 'GET', path: '/' }).status;
  }
  const flask = (run: string, prelude = '') => ({
    'requirements.txt': 'flask==3.1.0\n',
    'app.py': `import os\nfrom flask import Flask\n\napp = Flask(__name__)\n${prelude}\n\n@app.route("/")\ndef index():\n    return "ok"\n\n\nif __name__ == "__main__":\n    ${run}\n`,
    Dockerfile: 'FROM python:3.13-slim\nCOPY . .\nEXPOSE 5000\nCMD ["python", "app.py"]\n',
  });
  const node = (listen: string, deps: Record<string, string> = {}, prelude = '') => ({
    'package.json': JSON.stringify({ name: 'x', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: deps }),
    ...Object.fromEntries(Object.keys(deps).flatMap((d) => [[`node_modules/${d}/package.json`, JSON.stringify({ name: d, version: '1.0.0', main: 'index.js' })], [`node_modules/${d}/index.js`, 'module.exports = () => ({});\n']])),
    'server.js': `${prelude}const http = require('http');\nconst server = http.createServer((req, res) => res.end('ok'));\n${listen}\n`,
    Dockerfile: 'FROM node:22-alpine\nCOPY . .\nEXPOSE 8080\nCMD ["node", "server.js"]\n',
  });

  it("reads Flask's host from a keyword, the first positional argument, an environment read or a module constant", () => {
    expect(statusOf(flask('app.run()'))).toBe(502);
    expect(statusOf(flask('app.run(host=None, port=5000)'))).toBe(502);
    expect(statusOf(flask("app.run(host='0.0.0.0', port=5000)"))).toBe(200);
    expect(statusOf(flask("app.run('0.0.0.0', 5000)"))).toBe(200);
    expect(statusOf(flask('app.run(port=5000, debug=True)'))).toBe(502);
    expect(statusOf(flask('app.run(host=os.environ.get("HOST", "127.0.0.1"), port=5000)'))).toBe(502);
    expect(statusOf(flask('app.run(host=os.getenv("HOST"), port=5000)'))).toBe(502);
    expect(statusOf(flask('app.run(host=HOST, port=5000)', 'HOST = "0.0.0.0"'))).toBe(200);
    // An expression the reader cannot evaluate is not judged either way.
    expect(statusOf(flask('app.run(host=pick_host(), port=5000)'))).toBe(200);
  });

  it("reads Node's host from listen(port, host), listen({ port, host }), process.env and constants", () => {
    expect(statusOf(node('server.listen(8080);'))).toBe(200);
    expect(statusOf(node("server.listen(8080, () => console.log('up'));"))).toBe(200);
    expect(statusOf(node("server.listen(8080, '127.0.0.1');"))).toBe(502);
    expect(statusOf(node('server.listen({ port: 8080, host: "localhost" });'))).toBe(502);
    expect(statusOf(node('server.listen({ port, host });', {}, "const port = 8080;\nconst host = '::1';\n"))).toBe(502);
    expect(statusOf(node("server.listen(8080, process.env.HOST || '0.0.0.0');"))).toBe(200);
    expect(statusOf(node('server.listen(8080, process.env.HOST);'))).toBe(200);
    expect(statusOf(node('server.listen(8080, hostFor(env));'))).toBe(200);
  });

  it("a variable set in the Dockerfile decides an environment read, and Fastify's listen defaults to localhost", () => {
    const files = node("server.listen(8080, process.env.HOST || '127.0.0.1');");
    expect(statusOf({ ...files, Dockerfile: files.Dockerfile.replace('EXPOSE', 'ENV HOST=0.0.0.0\nEXPOSE') })).toBe(200);
    const fastify = {
      'package.json': JSON.stringify({ name: 'x', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: { fastify: '^5.2.0' } }),
      'node_modules/fastify/package.json': JSON.stringify({ name: 'fastify', version: '5.2.0', main: 'index.js' }),
      'node_modules/fastify/index.js': 'module.exports = () => ({});\n',
      'server.js': "const fastify = require('fastify')();\nfastify.get('/', async () => 'ok');\nfastify.listen({ port: 8080 });\n",
      Dockerfile: 'FROM node:22-alpine\nCOPY . .\nEXPOSE 8080\nCMD ["node", "server.js"]\n',
    };
    const r = deploy(fastify);
    expect(answerRequest(r.process, { method: 'GET', path: '/' }).status).toBe(502);
    expect(statusOf({ ...fastify, 'server.js': fastify['server.js'].replace('{ port: 8080 }', "{ port: 8080, host: '0.0.0.0' }") })).toBe(200);
  });

  it('Gunicorn without --bind or PORT says it listens at 127.0.0.1:8000, as it does', () => {
    const r = deploy({ ...FASTAPI, Dockerfile: dockerfile('["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "app.main:app"]') });
    expect(answerRequest(r.process, { method: 'GET', path: '/health' }).status).toBe(502);
    expect(r.logs.filter((l) => l.file === LOG_FILES.web).map((l) => l.text).join('\n')).toContain('Listening at: http://127.0.0.1:8000');
  });
});
