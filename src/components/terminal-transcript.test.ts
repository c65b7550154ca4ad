import { describe, it, expect } from 'vitest';
import { parseTranscript } from './terminal-transcript.ts';

describe('parseTranscript', () => {
  it('tells commands, comments and output apart and strips shared indentation', () => {
    const lines = parseTranscript(`
      $ eb status
      Environment details for: pettracker-web-staging
        Status: Ready
      # a note to the reader
    `);
    expect(lines).toEqual([
      { kind: 'command', text: 'eb status' },
      { kind: 'output', text: 'Environment details for: pettracker-web-staging' },
      { kind: 'output', text: '  Status: Ready' },
      { kind: 'comment', text: '# a note to the reader' },
    ]);
  });
  it('honours a custom prompt and does not mistake "$HOME" for one', () => {
    expect(parseTranscript('> npm start\n$HOME', '>')).toEqual([
      { kind: 'command', text: 'npm start' },
      { kind: 'output', text: '$HOME' },
    ]);
  });
});
