import { describe, expect, it } from 'vitest';
import { findByShortName } from '../services/elasticbeanstalk/platforms.ts';
import { answerRequest, checkHealth, deployToInstance, inspectBundle, LOG_FILES } from './index.ts';
import { makeZip, type FixtureFile } from './zip-fixture.ts';

const python = findByShortName('python-3.13')!;

function deploy(files: Record<string, string | FixtureFile>, env: Record<string, string> = {}, options: Record<string, string> = {}) {
  const report = inspectBundle(makeZip(files), python, { versionLabel: 'v7' });
  const result = deployToInstance({
    report,
    versionLabel: 'v7',
    instanceId: 'i-0a1b2c3d4e5f60718',
    isLeader: true,
    env,
    options: (ns, name) => options[`${ns}/${name}`],
    platform: python,
    startedAt: Date.UTC(2026, 10, 23, 9, 0, 0),
  });
  const web = result.logs.filter((l) => l.file === LOG_FILES.web).map((l) => l.text).join('\n');
  const get = (path: string, method = 'GET') => answerRequest(result.process, { method, path });
  return { report, result, process: result.process, web, get };
}

const FLASK = [
  'from flask import Flask, jsonify',
  '',
  'application = Flask(__name__)',
  '',
  "@application.route('/')",
  'def index():',
  "    return 'Hello from PetTracker'",
  '',
  "@application.route('/health')",
  'def health():',
  "    return jsonify(status='ok')",
  '',
  "@application.route('/pets', methods=['POST'])",
  'def add_pet():',
  "    return {'created': True}, 201",
  '',
].join('\n');

describe('Python app model under Gunicorn (the platform default)', () => {
  it('serves application:application on 8000 behind nginx, with routes, 404 and 405', () => {
    const { result, process, get, web } = deploy({ 'application.py': FLASK, 'requirements.txt': 'Flask==3.1.0\n' });
    expect(result.ok).toBe(true);
    expect(process?.command).toBe('gunicorn --bind 127.0.0.1:8000 --workers=1 --threads=15 application:application');
    expect(process?.state).toBe('running');
    expect(process?.listenPort).toBe(8000);
    expect(process?.upstreamPort).toBe(8000);
    expect(web).toContain('[INFO] Listening at: http://127.0.0.1:8000');
    const home = get('/');
    expect(home.status).toBe(200);
    expect(home.body).toBe('Hello from PetTracker');
    expect(home.headers['x-app-version']).toBe('v7');
    expect(get('/health').body).toBe('{"status":"ok"}\n');
    expect(get('/nope').status).toBe(404);
    expect(get('/nope').body).toContain('<title>404 Not Found</title>');
    expect(get('/pets').status).toBe(405);
    expect(get('/pets', 'POST').status).toBe(201);
  });

  it('fails at start with ModuleNotFoundError when application.py is missing', () => {
    const { result, process, web, get } = deploy({ 'app.py': FLASK, 'requirements.txt': 'flask\n' });
    expect(result.ok).toBe(true); // the engine starts the service; the process dies
    expect(process?.state).toBe('exited');
    expect(process?.exit?.error).toBe("ModuleNotFoundError: No module named 'application'");
    expect(web).toContain("ModuleNotFoundError: No module named 'application'");
    expect(web).toContain('Reason: Worker failed to boot.');
    expect(get('/').status).toBe(502);
    expect(checkHealth(process, { path: '/' }).causes).toContain('Following services are not running: web.');
  });

  it('follows WSGIPath to another module and object', () => {
    const app = FLASK.replace(/application/g, 'app');
    const ok = deploy({ 'main.py': app, 'requirements.txt': 'flask\n' }, {}, { 'aws:elasticbeanstalk:container:python/WSGIPath': 'main:app' });
    expect(ok.process?.state).toBe('running');
    expect(ok.get('/').status).toBe(200);
  });

  it('fails with "Failed to find attribute" when the module lacks the object', () => {
    const { process, web } = deploy({ 'application.py': FLASK.replace(/application/g, 'app'), 'requirements.txt': 'flask\n' });
    expect(process?.exit?.error).toBe("Failed to find attribute 'application' in 'application'.");
    expect(web).toContain('Reason: App failed to load.');
  });

  it('fails with ModuleNotFoundError and a traceback pointing at the import when a dependency is not declared', () => {
    const code = `import tensorflow as tf\n${FLASK}`;
    const { process, web } = deploy({ 'application.py': code, 'requirements.txt': 'Flask==3.1.0\n' });
    expect(process?.exit?.error).toBe("ModuleNotFoundError: No module named 'tensorflow'");
    expect(process?.exit?.at).toEqual({ file: 'application.py', line: 1 });
    expect(web).toContain('File "/var/app/current/application.py", line 1, in <module>');
    expect(web).toContain('import tensorflow as tf');
    expect(web).toContain("ModuleNotFoundError: No module named 'tensorflow'");
  });

  it('knows distribution names that differ from import names, and what they bring with them', () => {
    const code = `import yaml\nimport werkzeug\nfrom dotenv import load_dotenv\nimport json\n${FLASK}`;
    expect(deploy({ 'application.py': code, 'requirements.txt': 'flask>=3\nPyYAML==6.0.2\npython-dotenv\n' }).process?.state).toBe('running');
    expect(deploy({ 'application.py': code, 'requirements.txt': 'flask>=3\npython-dotenv\n' }).process?.exit?.error).toBe("ModuleNotFoundError: No module named 'yaml'");
  });

  it('treats a missing requirements.txt as nothing installed, with EB’s warning', () => {
    const { result, process } = deploy({ 'application.py': FLASK });
    expect(result.events).toContainEqual({ severity: 'WARN', message: "Instance deployment: You didn't include a 'requirements.txt' file in your source bundle. The deployment didn't install any dependencies." });
    expect(process?.exit?.error).toBe("ModuleNotFoundError: No module named 'flask'");
  });

  it('installs a Pipfile’s [packages] when there is no requirements.txt, but not its [dev-packages]', () => {
    const pipfile = '[[source]]\nurl = "https://pypi.org/simple"\n\n[packages]\nflask = "*"\n\n[dev-packages]\npytest = "*"\n';
    expect(deploy({ 'application.py': FLASK, Pipfile: pipfile }).process?.state).toBe('running');
    expect(deploy({ 'application.py': `import pytest\n${FLASK}`, Pipfile: pipfile }).process?.exit?.error).toBe("ModuleNotFoundError: No module named 'pytest'");
  });

  it('fails with SyntaxError when a bracket is never closed, pointing at it', () => {
    const code = FLASK.replace("    return jsonify(status='ok')", "    return jsonify(status='ok'");
    const { process, web } = deploy({ 'application.py': code, 'requirements.txt': 'flask\n' });
    expect(process?.exit?.error).toBe("SyntaxError: '(' was never closed");
    expect(process?.exit?.at).toEqual({ file: 'application.py', line: 11 });
    expect(web).toContain('  File "/var/app/current/application.py", line 11\n');
    // Brackets in strings and comments do not count.
    const fine = `${FLASK}\nNOTE = "an open ( in a string"  # and ( in a comment\n`;
    expect(deploy({ 'application.py': fine, 'requirements.txt': 'flask\n' }).process?.state).toBe('running');
  });

  it('follows local imports and reports the failing line in the imported module', () => {
    const { process, web } = deploy({
      'application.py': `from pets import routes\n${FLASK}`,
      'pets/__init__.py': '',
      'pets/routes.py': 'import os\nimport redis\n',
      'requirements.txt': 'flask\n',
    });
    expect(process?.exit?.error).toBe("ModuleNotFoundError: No module named 'redis'");
    expect(web).toContain('File "/var/app/current/application.py", line 1, in <module>');
    expect(web).toContain('File "/var/app/current/pets/routes.py", line 2, in <module>');
  });

  it('crashes with KeyError on os.environ[...] at start unless the property is set; get() with a default is fine', () => {
    const code = `import os\n${FLASK}\nDATABASE_URL = os.environ['DATABASE_URL']\nDEBUG = os.environ.get('DEBUG', 'false')\n`;
    const missing = deploy({ 'application.py': code, 'requirements.txt': 'flask\n' });
    expect(missing.process?.exit?.error).toBe("KeyError: 'DATABASE_URL'");
    expect(missing.web).toContain("KeyError: 'DATABASE_URL'");
    const set = deploy({ 'application.py': code, 'requirements.txt': 'flask\n' }, { DATABASE_URL: 'postgres://db/pets' });
    expect(set.process?.state).toBe('running');
  });

  it('does not count environment reads inside request handlers as start-up reads', () => {
    const code = FLASK.replace("    return 'Hello from PetTracker'", "    return os.environ['GREETING']").replace('from flask', 'import os\nfrom flask');
    expect(deploy({ 'application.py': code, 'requirements.txt': 'flask\n' }).process?.state).toBe('running');
  });

  it('counts reads inside an app factory called at import time', () => {
    const code = ['import os', 'from flask import Flask', '', 'def create_app():', '    app = Flask(__name__)', "    app.config['SECRET_KEY'] = os.environ['SECRET_KEY']", '    return app', '', 'application = create_app()', ''].join('\n');
    const r = deploy({ 'application.py': code, 'requirements.txt': 'flask\n' });
    expect(r.process?.exit?.error).toBe("KeyError: 'SECRET_KEY'");
  });
});

describe('Python app model under a Procfile', () => {
  it('answers 502 when Gunicorn binds a port other than the proxy’s 8000, and 200 once PORT matches', () => {
    const files = { 'application.py': FLASK, 'requirements.txt': 'flask\n', Procfile: 'web: gunicorn --bind :5000 --workers 3 application:application\n' };
    const wrong = deploy(files);
    expect(wrong.result.events).toContainEqual({ severity: 'INFO', message: "Instance deployment used the commands in your 'Procfile' to initiate startup of your application." });
    expect(wrong.process?.listenPort).toBe(5000);
    expect(wrong.process?.upstreamPort).toBe(8000);
    const r = wrong.get('/');
    expect(r.status).toBe(502);
    expect(r.body).toContain('502 Bad Gateway');
    expect(r.logs.find((l) => l.file === LOG_FILES.nginxError)?.text).toContain('connect() failed (111: Connection refused) while connecting to upstream');
    expect(checkHealth(wrong.process, { path: '/' })).toEqual({ healthy: false, status: 502, causes: ['Health checks failed with these codes: [502]'] });
    const fixed = deploy(files, { PORT: '5000' });
    expect(fixed.get('/').status).toBe(200);
  });

  it('runs FastAPI under Uvicorn when uvicorn is declared, with JSON 404 and 405', () => {
    const main = ['from fastapi import FastAPI', '', 'app = FastAPI()', '', "@app.get('/')", 'def root():', "    return {'message': 'hi'}", '', "@app.post('/pets')", 'def create():', "    return {'ok': True}", ''].join('\n');
    const files = { 'app/__init__.py': '', 'app/main.py': main, 'requirements.txt': 'fastapi\nuvicorn[standard]\n', Procfile: 'web: uvicorn app.main:app --host 0.0.0.0 --port 8000\n' };
    const { process, get, web } = deploy(files);
    expect(process?.state).toBe('running');
    expect(web).toContain('Uvicorn running on http://0.0.0.0:8000');
    expect(get('/').body).toBe('{"message":"hi"}');
    expect(get('/missing').body).toBe('{"detail":"Not Found"}');
    expect(get('/pets').status).toBe(405);
    expect(get('/pets', 'POST').status).toBe(200);
  });

  it('fails with "command not found" when uvicorn is not in requirements.txt', () => {
    const main = 'from fastapi import FastAPI\napp = FastAPI()\n';
    const { process, web } = deploy({ 'main.py': main, 'requirements.txt': 'fastapi\n', Procfile: 'web: uvicorn main:app --port 8000\n' });
    expect(process?.exit?.error).toBe('/bin/sh: line 1: uvicorn: command not found');
    expect(web).toContain('uvicorn: command not found');
  });

  it('answers 500 for every request when an ASGI app runs under plain Gunicorn', () => {
    const main = "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/')\ndef root():\n    return {'a': 1}\n";
    const { process, get } = deploy({ 'main.py': main, 'requirements.txt': 'fastapi\n', Procfile: 'web: gunicorn main:app\n' });
    expect(process?.state).toBe('running');
    const r = get('/');
    expect(r.status).toBe(500);
    expect(r.logs.map((l) => l.text).join('\n')).toContain("TypeError: FastAPI.__call__() missing 1 required positional argument: 'send'");
  });

  it('shows /bin/sh’s complaint for a Procfile command that does not exist', () => {
    const { process } = deploy({ 'application.py': FLASK, 'requirements.txt': 'flask\n', Procfile: 'web: application\n' });
    expect(process?.exit?.error).toBe('/bin/sh: line 1: application: command not found');
  });

  it('runs `python app.py` with Flask’s development server on 5000, which the proxy does not reach', () => {
    const code = `${FLASK.replace(/application/g, 'app')}\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n`;
    const { process, web, get } = deploy({ 'app.py': code, 'requirements.txt': 'flask\n', Procfile: 'web: python app.py\n' });
    expect(process?.listenPort).toBe(5000);
    expect(web).toContain(' * Running on http://127.0.0.1:5000');
    expect(get('/').status).toBe(502);
    const portAware = code.replace("app.run(host='0.0.0.0')", "app.run(host='0.0.0.0', port=int(os.environ.get('PORT', 5000)))").replace('from flask', 'import os\nfrom flask');
    expect(deploy({ 'app.py': portAware, 'requirements.txt': 'flask\n', Procfile: 'web: python app.py\n' }).get('/').status).toBe(200);
  });

  it('prefixes blueprint and router routes with their url_prefix / prefix and mount prefix', () => {
    const flask = deploy({
      'application.py': "from flask import Flask\nfrom pets.views import bp\napplication = Flask(__name__)\napplication.register_blueprint(bp, url_prefix='/api')\n",
      'pets/__init__.py': '',
      'pets/views.py': "from flask import Blueprint\nbp = Blueprint('pets', __name__, url_prefix='/pets')\n@bp.route('/<int:pet_id>')\ndef show(pet_id):\n    return 'a pet'\n",
      'requirements.txt': 'flask\n',
    });
    expect(flask.get('/api/pets/3').body).toBe('a pet');
    expect(flask.get('/pets/3').status).toBe(404);
    const fastapi = deploy({
      'main.py': "from fastapi import FastAPI\nfrom routers import pets\napp = FastAPI()\napp.include_router(pets.router, prefix='/v1')\n",
      'routers/__init__.py': '',
      'routers/pets.py': "from fastapi import APIRouter\nrouter = APIRouter(prefix='/pets')\n@router.get('/')\ndef list_pets():\n    return []\n",
      'requirements.txt': 'fastapi\nuvicorn\n',
      Procfile: 'web: uvicorn main:app --port 8000\n',
    });
    expect(fastapi.get('/v1/pets').status).toBe(200);
    expect(fastapi.get('/v1/pets').body).toBe('[]');
  });

  it('serves a Django project: wsgi application, routes from urls.py, Django’s 404', () => {
    const { process, get } = deploy({
      'mysite/__init__.py': '',
      'mysite/wsgi.py': "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\napplication = get_wsgi_application()\n",
      'mysite/urls.py': "from django.urls import path\nfrom pets import views\nurlpatterns = [\n    path('pets/', views.index),\n    path('', views.home),\n]\n",
      'requirements.txt': 'Django==5.1.4\n',
      Procfile: 'web: gunicorn mysite.wsgi\n',
    });
    expect(process?.state).toBe('running');
    expect(get('/pets/').status).toBe(200);
    expect(get('/').status).toBe(200);
    expect(get('/cats/').status).toBe(404);
    expect(get('/cats/').body).toContain('The requested resource was not found on this server.');
  });

  it('treats a plain WSGI callable as answering every path', () => {
    const code = "def application(environ, start_response):\n    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [b'pong']\n";
    const { get } = deploy({ 'application.py': code });
    expect(get('/anything/at/all').status).toBe(200);
    expect(get('/anything/at/all').body).toBe('pong');
  });
});

describe('Python request-time failures (handlers that raise on every request)', () => {
  const FASTAPI_PREDICT = [
    'import os',
    '',
    'from fastapi import FastAPI, Request',
    '',
    'MODEL_PATH = os.environ.get("MODEL_PATH", "models/breeds-v4.onnx")',
    '',
    'app = FastAPI()',
    '',
    '@app.get("/health")',
    'def health():',
    '    return {"status": "ok"}',
    '',
    '@app.post("/predict")',
    'def predict():',
    '    with open(MODEL_PATH, "rb") as model_file:  # the model, loaded per request',
    '        model = model_file.read()',
    '    return {"bytes": len(model)}',
    '',
  ].join('\n');
  const ASGI = { 'app/__init__.py': '', 'requirements.txt': 'fastapi\nuvicorn\n', Procfile: 'web: gunicorn --bind :8000 --worker-class uvicorn.workers.UvicornWorker app.main:app\n' };

  it('FastAPI under Gunicorn: a model file left out of the bundle gives 500 and the traceback in web.stdout.log; /health still passes', () => {
    const { process, get, result } = deploy({ ...ASGI, 'app/main.py': FASTAPI_PREDICT });
    expect(process?.state).toBe('running');
    expect(checkHealth(process, { path: '/health' }).healthy).toBe(true);
    const answer = answerRequest(process, { method: 'POST', path: '/predict', now: Date.UTC(2026, 10, 23, 9, 5, 7) });
    expect(answer.status).toBe(500);
    expect(answer.body).toBe('Internal Server Error');
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    const web = answer.logs.filter((l) => l.file === LOG_FILES.web).map((l) => l.text);
    expect(web[0]).toMatch(/^Nov 23 09:05:07 ip-[\d-]+ web\[\d+\]: \[2026-11-23 09:05:07 \+0000\] \[\d+\] \[ERROR\] Exception in ASGI application$/);
    expect(web).toContainEqual(expect.stringMatching(/: {3}File "\/var\/app\/current\/app\/main\.py", line 15, in predict$/));
    expect(web).toContainEqual(expect.stringMatching(/: {5}with open\(MODEL_PATH, "rb"\) as model_file:  # the model, loaded per request$/));
    expect(web.at(-1)).toMatch(/: FileNotFoundError: \[Errno 2\] No such file or directory: 'models\/breeds-v4\.onnx'$/);
    // The access log shows the 500; nginx itself logs no error.
    expect(answer.logs.find((l) => l.file === LOG_FILES.nginxAccess)?.text).toContain('"POST /predict HTTP/1.1" 500');
    expect(answer.logs.some((l) => l.file === LOG_FILES.nginxError)).toBe(false);
    expect(result.ok).toBe(true);
  });

  it('an async def endpoint is awaited in the event loop; a def one runs in the thread pool', () => {
    const frames = (code: string) =>
      deploy({ ...ASGI, 'app/main.py': code })
        .get('/predict', 'POST')
        .logs.filter((l) => l.file === LOG_FILES.web)
        .map((l) => l.text.replace(/^.*? web\[\d+\]: /, ''));
    const sync = frames(FASTAPI_PREDICT);
    expect(sync).toContain('    return await run_in_threadpool(dependant.call, **values)');
    const asyncFrames = frames(FASTAPI_PREDICT.replace('def predict():', 'async def predict():'));
    expect(asyncFrames).toContain('    return await dependant.call(**values)');
    expect(asyncFrames.some((l) => l.includes('run_in_threadpool'))).toBe(false);
  });

  it('answers normally once the file is in the bundle, or when MODEL_PATH points at a file that is', () => {
    const withModel = deploy({ ...ASGI, 'app/main.py': FASTAPI_PREDICT, 'models/breeds-v4.onnx': 'onnx' });
    expect(withModel.get('/predict', 'POST').status).toBe(200);
    const elsewhere = deploy({ ...ASGI, 'app/main.py': FASTAPI_PREDICT, 'data/v4.onnx': 'onnx' }, { MODEL_PATH: '/var/app/current/data/v4.onnx' });
    expect(elsewhere.get('/predict', 'POST').status).toBe(200);
    const wrongEnv = deploy({ ...ASGI, 'app/main.py': FASTAPI_PREDICT, 'models/breeds-v4.onnx': 'onnx' }, { MODEL_PATH: 'models/breeds-v5.onnx' });
    expect(wrongEnv.get('/predict', 'POST').status).toBe(500);
  });

  it('Flask: a helper that opens a path built from __file__, with Flask’s error page and its "Exception on" log line', () => {
    const code = [
      'import os',
      'from flask import Flask, jsonify',
      '',
      'application = Flask(__name__)',
      'BASE_DIR = os.path.dirname(os.path.abspath(__file__))',
      '',
      'def load_labels():',
      "    with open(os.path.join(BASE_DIR, 'models', 'labels.txt')) as f:",
      '        return f.read().splitlines()',
      '',
      "@application.route('/predict', methods=['POST'])",
      'def predict():',
      '    labels = load_labels()',
      "    return jsonify(labels=labels)",
      '',
    ].join('\n');
    const { get, process } = deploy({ 'application.py': code, 'requirements.txt': 'flask\n' });
    const answer = answerRequest(process, { method: 'POST', path: '/predict', now: Date.UTC(2026, 10, 23, 9, 0, 30) });
    expect(answer.status).toBe(500);
    expect(answer.body).toContain('<title>500 Internal Server Error</title>');
    const web = answer.logs.filter((l) => l.file === LOG_FILES.web).map((l) => l.text.replace(/^.*? web\[\d+\]: /, ''));
    expect(web[0]).toBe('[2026-11-23 09:00:30,000] ERROR in app: Exception on /predict [POST]');
    expect(web[1]).toBe('Traceback (most recent call last):');
    const user = web.slice(web.findIndex((l) => l.includes('/var/app/current/')));
    expect(user).toEqual([
      '  File "/var/app/current/application.py", line 13, in predict',
      '    labels = load_labels()',
      '  File "/var/app/current/application.py", line 8, in load_labels',
      "    with open(os.path.join(BASE_DIR, 'models', 'labels.txt')) as f:",
      "FileNotFoundError: [Errno 2] No such file or directory: '/var/app/current/models/labels.txt'",
    ]);
    expect(deploy({ 'application.py': code, 'requirements.txt': 'flask\n', 'models/labels.txt': 'beagle\n' }).get('/predict', 'POST').status).toBe(200);
    expect(get('/predict').status).toBe(405);
  });

  it('an unset os.environ[...] read in a handler raises KeyError at request time, not at start', () => {
    const code = [
      'import os',
      'from flask import Flask',
      '',
      'application = Flask(__name__)',
      '',
      "@application.route('/report')",
      'def report():',
      "    url = os.environ['REPORTS_BUCKET']",
      "    return 'ok'",
      '',
      "@application.route('/')",
      'def index():',
      "    return 'home'",
    ].join('\n');
    const unset = deploy({ 'application.py': code, 'requirements.txt': 'flask\n' });
    expect(unset.process?.state).toBe('running');
    expect(unset.get('/').status).toBe(200);
    const answer = answerRequest(unset.process, { method: 'GET', path: '/report' });
    expect(answer.status).toBe(500);
    const web = answer.logs.filter((l) => l.file === LOG_FILES.web).map((l) => l.text.replace(/^.*? web\[\d+\]: /, ''));
    expect(web.slice(-4)).toEqual(['  File "/var/app/current/application.py", line 8, in report', "    url = os.environ['REPORTS_BUCKET']", '  File "<frozen os>", line 716, in __getitem__', "KeyError: 'REPORTS_BUCKET'"]);
    expect(deploy({ 'application.py': code, 'requirements.txt': 'flask\n' }, { REPORTS_BUCKET: 'pettracker-reports' }).get('/report').status).toBe(200);
  });

  it('does not fail a read the handler guards (try/except, an exists() test) or a file it writes', () => {
    const guarded = [
      'from flask import Flask',
      'import os',
      'application = Flask(__name__)',
      '',
      "@application.route('/a')",
      'def a():',
      '    try:',
      "        data = open('models/missing.onnx', 'rb').read()",
      '    except FileNotFoundError:',
      '        data = b""',
      "    return 'a'",
      '',
      "@application.route('/b')",
      'def b():',
      "    if os.path.exists('models/missing.onnx'):",
      "        open('models/missing.onnx').read()",
      "    return 'b'",
      '',
      "@application.route('/c')",
      'def c():',
      "    with open('out.txt', 'w') as f:",
      "        f.write('x')",
      "    return 'c'",
      '',
      "@application.route('/d')",
      'def d():',
      '    try:',
      "        open('models/missing.onnx').read()",
      '    except ValueError:',
      '        pass',
      "    return 'd'",
    ].join('\n');
    const { get } = deploy({ 'application.py': guarded, 'requirements.txt': 'flask\n' });
    expect(get('/a').status).toBe(200);
    expect(get('/b').status).toBe(200);
    expect(get('/c').status).toBe(200);
    expect(get('/d').status).toBe(500);
  });
});
