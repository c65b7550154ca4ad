import { describe, it, expect } from 'vitest';
import { createAttempt, parseAttempt, serializeAttempt, attemptFiles, AttemptFormatError } from './attempt.ts';

const cloud = { format: 'beanstalk-academy-cloud', version: 1, time: 0, services: {} };

describe('attempt files', () => {
  it('round-trips text and binary files, history, snapshot and results', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00]);
    const attempt = createAttempt({
      labId: 'procfile',
      files: { Procfile: 'web: gunicorn app:app\n', 'bundle.zip': zip, 'ok-bytes.txt': new TextEncoder().encode('héllo') },
      history: ['eb deploy'],
      cloud,
      results: { checkedAt: '2026-11-23T09:00:00.000Z', score: 3, maxScore: 5, checks: [{ id: 'procfile-web', status: 'fail', hintsRevealed: 2 }] },
      exportedAt: new Date('2026-11-23T09:30:00Z'),
    });
    expect(attempt.files['bundle.zip'].encoding).toBe('base64');
    expect(attempt.files['ok-bytes.txt']).toEqual({ encoding: 'utf8', content: 'héllo' });
    const back = parseAttempt(serializeAttempt(attempt));
    expect(back).toEqual(attempt);
    const files = attemptFiles(back);
    expect(files['bundle.zip']).toEqual(zip);
    expect(files.Procfile).toBe('web: gunicorn app:app\n');
  });

  it('explains files that are not JSON, not attempts, or of another version', () => {
    expect(() => parseAttempt('{oops', 'a.json')).toThrow(/a\.json is not valid JSON/);
    expect(() => parseAttempt('[]')).toThrow(AttemptFormatError);
    expect(() => parseAttempt(JSON.stringify(cloud))).toThrow(/This is a cloud snapshot/);
    const good = createAttempt({ labId: 'packaging', files: {}, history: [], cloud });
    expect(() => parseAttempt(JSON.stringify({ ...good, version: 2 }))).toThrow(/newer than this grader reads/);
    expect(() => parseAttempt(JSON.stringify({ ...good, version: 0 }))).toThrow(/no longer supported/);
  });

  it('names the damaged field', () => {
    const good = createAttempt({ labId: 'packaging', files: { a: 'x' }, history: [], cloud });
    const damaged = { ...good, files: { '../etc/passwd': { encoding: 'utf8', content: '' } }, history: 'eb deploy' };
    let message = '';
    try {
      parseAttempt(JSON.stringify(damaged), 'x.json');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/x\.json is a damaged attempt/);
    expect(message).toMatch(/history: Expected array/);
    expect(message).toMatch(/without "\.\."/);
    const badB64 = { ...good, files: { a: { encoding: 'base64', content: '***' } } };
    expect(() => parseAttempt(JSON.stringify(badB64))).toThrow(/files\.a\.content: is not valid base64/);
  });

  function damage(attempt: Record<string, unknown>): string[] {
    try {
      parseAttempt(JSON.stringify(attempt), 'mine.json');
    } catch (err) {
      expect(err).toBeInstanceOf(AttemptFormatError);
      const [head, ...lines] = (err as Error).message.split('\n');
      expect(head).toBe('mine.json is a damaged attempt:');
      return lines.map((l) => l.trim());
    }
    throw new Error('expected an AttemptFormatError');
  }

  it('lists every wrong type with its field path, what is allowed and what it got', () => {
    const good = createAttempt({ labId: 'packaging', files: { 'app.py': 'x' }, history: ['ls'], cloud, exportedAt: new Date('2026-11-23T09:30:00Z') });
    expect(
      damage({
        ...good,
        labId: 'Packaging Lab',
        exportedAt: 'yesterday',
        files: { 'app.py': { encoding: 'gzip', content: 7 }, 'logo.png': 'iVBOR', '/etc/hosts': { encoding: 'utf8', content: '' } },
        history: ['ls', 42],
        cloud: { format: 'beanstalk-academy-cloud', version: '1' },
        results: { checkedAt: '2026-11-23T09:00:00.000Z', score: -1, maxScore: 5, checks: [{ id: 'c', status: 'passed', hintsRevealed: 4 }, 'c2'] },
        presetFinishedAt: 'later',
      }),
    ).toEqual([
      'labId: must be a lab id such as "procfile"; received "Packaging Lab"',
      'exportedAt: must be an ISO 8601 date; received "yesterday"',
      'files.app.py.encoding: Expected "utf8" or "base64", received "gzip"',
      'files.app.py.content: Expected a string (the file content), received number',
      'files.logo.png: Expected an object { encoding, content }, received string',
      'files./etc/hosts: file paths must be relative to the workspace, without ".."',
      'history[1]: Expected string, received number',
      'cloud.version: Expected a number, received "1"',
      'results.score: must be 0 or more',
      'results.checks[0].status: Expected "pass", "fail" or "error", received "passed"',
      'results.checks[0].hintsRevealed: Expected a whole number from 0 to 3, received 4',
      'results.checks[1]: Expected an object { id, status }, received string',
      'presetFinishedAt: Expected a number (epoch ms), received "later"',
    ]);
  });

  it('names missing and unknown fields', () => {
    const good = createAttempt({ labId: 'packaging', files: {}, history: [], cloud });
    const { files: _files, cloud: _cloud, ...withoutFilesAndCloud } = good;
    expect(damage({ ...withoutFilesAndCloud, score: 10 })).toEqual([
      '(root): Unrecognized key "score"; allowed: format, version, labId, exportedAt, files, history, cloud, results, presetFinishedAt',
      'files: Required: expected an object of files keyed by workspace path',
      'cloud: Required: expected an object (a sandbox cloud snapshot)',
    ]);
    expect(damage({ ...good, files: { a: { content: 'x', mode: 493 } } })).toEqual([
      'files.a: Unrecognized key "mode"; allowed: encoding, content',
      'files.a.encoding: Required: expected "utf8" or "base64"',
    ]);
    expect(damage({ ...good, results: { score: 1, maxScore: 1, checks: [{ status: 'pass' }] } })).toEqual([
      'results.checkedAt: Required: expected a string (ISO 8601 date)',
      'results.checks[0].id: Required: expected a string (the check id)',
    ]);
  });

  it('says what the version is when it is not a number, and keeps extra fields of results and the snapshot', () => {
    const good = createAttempt({ labId: 'packaging', files: {}, history: [], cloud });
    expect(() => parseAttempt(JSON.stringify({ ...good, version: '1' }))).toThrow(/has no numeric "version"; expected 1/);
    const { version: _version, ...noVersion } = good;
    expect(() => parseAttempt(JSON.stringify(noVersion))).toThrow(/has no numeric "version"/);
    expect(() => parseAttempt(JSON.stringify({ ...good, format: undefined }))).toThrow(/"format" is undefined, expected "beanstalk-academy-attempt"/);
    const extra = { ...good, results: { checkedAt: '2026-11-23T09:00:00.000Z', score: 0, maxScore: 1, checks: [{ id: 'a', status: 'error', title: 'A' }], note: 'n' } };
    expect(parseAttempt(JSON.stringify(extra))).toEqual(extra);
  });
});
