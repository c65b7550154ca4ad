// Splits a Terminal transcript into command, comment and output lines (pure, so it is unit tested).
export interface TranscriptLine {
  kind: 'command' | 'comment' | 'output';
  text: string;
}

export function parseTranscript(transcript: string, prompt = '$'): TranscriptLine[] {
  const raw = transcript.replace(/\r\n?/g, '\n').split('\n');
  while (raw.length && raw[0].trim() === '') raw.shift();
  while (raw.length && raw[raw.length - 1].trim() === '') raw.pop();
  // Authors indent transcripts inside JSX; remove the indentation the lines share.
  const indents = raw.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return raw.map((line) => {
    const text = line.slice(common);
    if (text === prompt || text.startsWith(`${prompt} `)) return { kind: 'command', text: text.slice(prompt.length).trimStart() };
    if (text.startsWith('# ')) return { kind: 'comment', text };
    return { kind: 'output', text };
  });
}
