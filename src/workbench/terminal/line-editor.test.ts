import { describe, it, expect } from 'vitest';
import headless from '@xterm/headless';
import { LineEditor, formatColumns, splitKeys, type Completion } from './line-editor.ts';

const { Terminal } = headless;

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';
const HOME = '\x1b[H';
const END = '\x1b[F';

/** A real (headless) xterm wired to a line editor, so tests read the screen a learner would see. */
function setup(options: {
  cols?: number;
  history?: string[];
  run?: (line: string, out: (text: string) => void) => Promise<void>;
  complete?: (line: string, cursor: number) => Promise<Completion>;
  inputState?: (text: string) => Promise<'complete' | 'incomplete' | 'error'>;
} = {}) {
  const cols = options.cols ?? 80;
  const term = new Terminal({ cols, rows: 24, allowProposedApi: true });
  const ran: string[] = [];
  const interrupts: number[] = [];
  const saved: string[][] = [];
  let pending = Promise.resolve();
  const write = (text: string) => {
    pending = pending.then(() => new Promise<void>((resolve) => term.write(text, resolve)));
  };
  const editor: LineEditor = new LineEditor(
    {
      write,
      prompt: () => '\x1b[32m~/app\x1b[0m$ ',
      columns: () => cols,
      interrupt: () => interrupts.push(Date.now()),
      historyChanged: (h) => saved.push([...h]),
      complete: options.complete,
      inputState: options.inputState,
      run: async (line) => {
        ran.push(line);
        await options.run?.(line, (text) => editor.output(text));
      },
    },
    options.history,
  );
  editor.start();
  const screen = async (): Promise<string[]> => {
    await pending;
    await new Promise((r) => setTimeout(r, 0));
    await pending;
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true).trimEnd() ?? '');
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines;
  };
  const cursor = async () => {
    await screen();
    return { x: term.buffer.active.cursorX, y: term.buffer.active.cursorY };
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { editor, term, ran, interrupts, saved, screen, cursor, settle };
}

describe('splitKeys', () => {
  it('separates escape sequences, control keys and characters', () => {
    expect(splitKeys('ab\x1b[D\x1b[3~\x1bOH\x7f\r')).toEqual(['a', 'b', '\x1b[D', '\x1b[3~', '\x1bOH', '\x7f', '\r']);
  });
});

describe('LineEditor', () => {
  it('shows the prompt and submits what was typed', async () => {
    const t = setup();
    t.editor.input('eb status');
    expect(await t.screen()).toEqual(['~/app$ eb status']);
    t.editor.input('\r');
    await t.settle();
    expect(t.ran).toEqual(['eb status']);
    expect(await t.screen()).toEqual(['~/app$ eb status', '~/app$']);
  });

  it('edits in the middle of the line with cursor keys, Home, End, Backspace and Delete', async () => {
    const t = setup();
    t.editor.input('eb delpoy');
    t.editor.input(LEFT.repeat(4) + '\x1b[3~' + RIGHT + 'l' + END + '\x7f' + 'y');
    expect(t.editor.line).toBe('eb deploy');
    t.editor.input(HOME + 'x' + END + '!');
    expect(t.editor.line).toBe('xeb deploy!');
    expect(await t.screen()).toEqual(['~/app$ xeb deploy!']);
    t.editor.input(HOME + RIGHT);
    expect(await t.cursor()).toEqual({ x: '~/app$ x'.length, y: 0 });
  });

  it('recalls history with up and down, keeping the unfinished line', async () => {
    const t = setup({ history: ['eb init', 'eb create'] });
    t.editor.input('ls');
    t.editor.input(UP);
    expect(t.editor.line).toBe('eb create');
    t.editor.input(UP + UP + UP);
    expect(t.editor.line).toBe('eb init');
    t.editor.input(DOWN + DOWN);
    expect(t.editor.line).toBe('ls');
    expect(await t.screen()).toEqual(['~/app$ ls']);
  });

  it('records submitted lines in history without blanks or repeats and reports the change', async () => {
    const t = setup();
    for (const line of ['eb status', 'eb status', '   ', 'eb health']) {
      t.editor.input(`${line}\r`);
      await t.settle();
    }
    expect(t.editor.history).toEqual(['eb status', 'eb health']);
    expect(t.saved.at(-1)).toEqual(['eb status', 'eb health']);
  });

  it('Ctrl-C at the prompt abandons the line; while a command runs it interrupts it', async () => {
    let finish: () => void = () => {};
    const t = setup({ run: () => new Promise<void>((resolve) => (finish = resolve)) });
    t.editor.input('eb creat\x03');
    expect(t.ran).toEqual([]);
    expect(await t.screen()).toEqual(['~/app$ eb creat^C', '~/app$']);
    t.editor.input('eb events -f\r');
    expect(t.editor.busy).toBe(true);
    t.editor.input('\x03');
    expect(t.interrupts).toHaveLength(1);
    finish();
    await t.settle();
    expect(t.editor.busy).toBe(false);
  });

  it('keeps keys typed while a command runs and replays them at the next prompt', async () => {
    let finish: () => void = () => {};
    const t = setup({ run: (line) => (line === 'slow' ? new Promise<void>((r) => (finish = r)) : Promise.resolve()) });
    t.editor.input('slow\r');
    t.editor.input('eb sta');
    t.editor.input('tus\r');
    expect(t.ran).toEqual(['slow']);
    finish();
    await t.settle();
    await t.settle();
    expect(t.ran).toEqual(['slow', 'eb status']);
  });

  it('keeps output that ends without a newline (curl -s of a page) and puts the prompt on the next line', async () => {
    const t = setup({ run: async (_line, out) => out('<h1>PetTracker</h1>') });
    t.editor.input('curl -s https://pettracker-web-prod/\r');
    await t.settle();
    expect(await t.screen()).toEqual(['~/app$ curl -s https://pettracker-web-prod/', '<h1>PetTracker</h1>', '~/app$']);
  });

  it('streams command output with CRLF line ends and returns to a fresh prompt', async () => {
    const t = setup({
      run: async (_line, out) => {
        out('Creating application version archive "v1".\n');
        out('Environment details for: pettracker-dev\n');
      },
    });
    t.editor.input('eb create pettracker-dev\r');
    await t.settle();
    expect(await t.screen()).toEqual([
      '~/app$ eb create pettracker-dev',
      'Creating application version archive "v1".',
      'Environment details for: pettracker-dev',
      '~/app$',
    ]);
  });

  it('runs each line of a pasted script in turn', async () => {
    const t = setup();
    t.editor.input('eb init -p python-3.11 pettracker\neb create pettracker-dev\n');
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.ran).toEqual(['eb init -p python-3.11 pettracker', 'eb create pettracker-dev']);
  });

  it('Ctrl-L clears the screen and keeps the line being edited', async () => {
    const t = setup();
    t.editor.input('echo one\r');
    await t.settle();
    t.editor.input('eb lo\x0c');
    expect(await t.screen()).toEqual(['~/app$ eb lo']);
    expect(t.editor.line).toBe('eb lo');
  });

  it('completes a single candidate and adds a space, or a directory without one', async () => {
    const t = setup({
      complete: async (line, cursor) => {
        const word = line.slice(0, cursor).split(' ').pop() ?? '';
        const from = cursor - word.length;
        if (line.startsWith('eb ')) return { from, candidates: ['deploy', 'events', 'health'] };
        return { from, candidates: ['.ebextensions/', 'application.py'] };
      },
    });
    t.editor.input('eb dep\t');
    await t.settle();
    expect(t.editor.line).toBe('eb deploy ');
    t.editor.input('\x15cat .eb\t');
    await t.settle();
    expect(t.editor.line).toBe('cat .ebextensions/');
  });

  it('extends to the common prefix, then lists the choices on a second Tab', async () => {
    const t = setup({ complete: async (line, cursor) => ({ from: 3, candidates: ['setenv', 'status', 'ssh'].filter(() => cursor >= 3 && line.startsWith('eb ')) }) });
    t.editor.input('eb s\t');
    await t.settle();
    expect(t.editor.line).toBe('eb s');
    t.editor.input('\t');
    await t.settle();
    const lines = await t.screen();
    expect(lines[1]).toMatch(/^setenv\s+ssh\s+status$/);
    expect(lines[2]).toBe('~/app$ eb s');
    t.editor.input('e\t');
    await t.settle();
    expect(t.editor.line).toBe('eb setenv ');
  });

  it('redraws a line that wraps past the terminal width', async () => {
    const t = setup({ cols: 20 });
    const long = 'eb setenv DATABASE_URL=postgres://db';
    t.editor.input(long);
    const lines = await t.screen();
    expect(lines.join('')).toBe(`~/app$ ${long}`);
    t.editor.input(HOME + 'X');
    expect((await t.screen()).join('')).toBe(`~/app$ X${long}`);
    expect(await t.cursor()).toEqual({ x: '~/app$ X'.length, y: 0 });
    t.editor.input(END);
    const end = '~/app$ X'.length + long.length;
    expect(await t.cursor()).toEqual({ x: end % 20, y: Math.floor(end / 20) });
    for (let i = 0; i < 25; i++) t.editor.input('\x7f');
    expect((await t.screen()).join('')).toBe(`~/app$ X${long.slice(0, long.length - 25)}`);
  });

  it('reports an error thrown by a command instead of hanging the prompt', async () => {
    const t = setup({ run: async () => { throw new Error('worker stopped'); } });
    t.editor.input('eb status\r');
    await t.settle();
    await t.settle();
    expect(t.editor.busy).toBe(false);
    expect(await t.screen()).toContain('worker stopped');
  });
});

describe('LineEditor questions and continued lines', () => {
  it('lets a running command ask a question and reads the answer line (eb init interactive)', async () => {
    let answer = '';
    const t = setup({
      run: async (_line, out) => {
        answer = await t.editor.ask('Select a default region\n(default is "us-east-1"): ');
        out(`Region: ${answer}\n`);
      },
    });
    t.editor.input('eb init\r');
    await t.settle();
    t.editor.input('eu-west-1');
    expect(await t.screen()).toEqual(['~/app$ eb init', 'Select a default region', '(default is "us-east-1"): eu-west-1']);
    t.editor.input('\r');
    await t.settle();
    await t.settle();
    expect(answer).toBe('eu-west-1');
    expect(t.editor.history).toEqual(['eb init']);
    expect((await t.screen()).slice(-2)).toEqual(['Region: eu-west-1', '~/app$']);
  });

  it('Ctrl-C at a question interrupts the command', async () => {
    let answer: string | undefined;
    const t = setup({ run: async () => void (answer = await t.editor.ask('(Y/n): ')) });
    t.editor.input('eb init\r');
    await t.settle();
    t.editor.input('\x03');
    await t.settle();
    expect(answer).toBe('');
    expect(t.interrupts).toHaveLength(1);
  });

  it('keeps reading with "> " while the command is incomplete, then runs it whole', async () => {
    const t = setup({ inputState: async (text) => ((text.match(/'/g)?.length ?? 0) % 2 === 1 ? 'incomplete' : 'complete') });
    t.editor.input("echo 'web: gunicorn\r");
    await t.settle();
    expect(t.ran).toEqual([]);
    t.editor.input("application:application'\r");
    await t.settle();
    await t.settle();
    expect(t.ran).toEqual(["echo 'web: gunicorn\napplication:application'"]);
    expect((await t.screen()).slice(0, 2)).toEqual(["~/app$ echo 'web: gunicorn", "> application:application'"]);
  });
});

describe('formatColumns', () => {
  it('fits as many columns as the width allows', () => {
    expect(formatColumns(['abort', 'appversion', 'clone', 'config'], 36).split('\r\n')).toEqual([
      'abort       appversion  clone',
      'config',
    ]);
  });
});
