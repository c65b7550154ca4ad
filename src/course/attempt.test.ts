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
});
