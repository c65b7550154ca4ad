// The docker-platform lab's Dockerfile reading: where the CMD's server listens, and which bundle files a build
// copies into the image once .dockerignore and the COPY lines have had their say.
import { describe, expect, it } from 'vitest';
import { dockerfileInstructions, filesInImage, listenOf } from './checks.ts';

const BUNDLE = ['Dockerfile', '.dockerignore', 'requirements.txt', 'app/__init__.py', 'app/main.py', 'models/breeds-v4.onnx', 'venv/pyvenv.cfg', 'venv/bin/activate', '.env'];

describe('Dockerfile instructions', () => {
  it('joins continuation lines, skips comments and keeps each instruction where it starts', () => {
    const text = '# image\nFROM python:3.13-slim\nENV A=1 \\\n    B=2\n\nCMD ["gunicorn", \\\n  "app.main:app"]\n';
    const found = dockerfileInstructions(text);
    expect(found.map((i) => i.keyword)).toEqual(['FROM', 'ENV', 'CMD']);
    expect(found[1].args.split(/\s+/)).toEqual(['A=1', 'B=2']);
    expect(text.slice(found[2].offset).startsWith('CMD')).toBe(true);
    expect(JSON.parse(found[2].args)).toEqual(['gunicorn', 'app.main:app']);
  });
});

describe('where the server listens', () => {
  it("reads Gunicorn's --bind and -b, and its defaults with and without PORT", () => {
    expect(listenOf(['gunicorn', '--bind', ':8000', 'app.main:app'], {})).toMatchObject({ host: '0.0.0.0', port: 8000 });
    expect(listenOf(['gunicorn', '-b', '127.0.0.1:5000', 'app.main:app'], {})).toMatchObject({ host: '127.0.0.1', port: 5000 });
    expect(listenOf(['gunicorn', '--bind=0.0.0.0:${PORT}', 'app.main:app'], { PORT: '8000' })).toMatchObject({ host: '0.0.0.0', port: 8000 });
    expect(listenOf(['gunicorn', 'app.main:app'], {})).toMatchObject({ host: '127.0.0.1', port: 8000 });
    expect(listenOf(['gunicorn', 'app.main:app'], { PORT: '8080' })).toMatchObject({ host: '0.0.0.0', port: 8080 });
  });

  it("reads Uvicorn's --host and --port, through python -m and sh -c", () => {
    expect(listenOf(['uvicorn', 'app.main:app'], {})).toMatchObject({ host: '127.0.0.1', port: 8000 });
    expect(listenOf(['python', '-m', 'uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '9000'], {})).toMatchObject({ host: '0.0.0.0', port: 9000 });
    expect(listenOf(['sh', '-c', 'exec uvicorn app.main:app --host=0.0.0.0'], {})).toMatchObject({ server: 'uvicorn', host: '0.0.0.0' });
    expect(listenOf(['python', 'serve.py'], {})).toBeUndefined();
  });
});

describe('files the image gets', () => {
  const dockerfile = 'FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt .\nCOPY . .\n';

  it('takes the whole context with COPY . . unless .dockerignore leaves files out', () => {
    expect(filesInImage(BUNDLE, dockerfile, undefined)).toEqual(expect.arrayContaining(['venv/pyvenv.cfg', '.env', 'app/main.py']));
    const ignored = filesInImage(BUNDLE, dockerfile, 'venv/\n.env\n# comment\n');
    expect(ignored).not.toContain('venv/pyvenv.cfg');
    expect(ignored).not.toContain('.env');
    expect(ignored).toContain('models/breeds-v4.onnx');
    // A leading slash anchors at the context root, as Docker reads it.
    expect(filesInImage(BUNDLE, dockerfile, '/venv\n/.env\n')).not.toContain('venv/bin/activate');
  });

  it('takes only what narrower COPY lines name, and nothing from another stage', () => {
    const narrow = 'FROM python:3.13-slim\nCOPY requirements.txt .\nCOPY app/ app/\nCOPY ["models", "models"]\nCOPY --from=build /wheels /wheels\n';
    expect(filesInImage(BUNDLE, narrow, undefined).sort()).toEqual(['app/__init__.py', 'app/main.py', 'models/breeds-v4.onnx', 'requirements.txt']);
    expect(filesInImage(BUNDLE, 'FROM python:3.13-slim\nCOPY *.txt ./\n', undefined)).toEqual(['requirements.txt']);
  });
});
