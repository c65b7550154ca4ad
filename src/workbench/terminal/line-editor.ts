// The terminal's line editor: turns xterm key data into an editable command line (cursor keys, Home/End,
// history, Ctrl-C, Ctrl-L, Tab completion) and into the ANSI text that redraws it. Knows nothing of xterm.

/** What completing the word before the cursor offers: replacements for `line.slice(from, cursor)`. */
export interface Completion {
  from: number;
  candidates: string[];
}

export interface LineEditorHost {
  /** Writes ANSI text to the terminal. */
  write(text: string): void;
  /** Runs a submitted line; the prompt comes back when the promise settles. */
  run(line: string): Promise<void>;
  /** Asks the running command to stop (Ctrl-C while a command runs). */
  interrupt(): void;
  /** Offers completions for the word before the cursor. */
  complete?(line: string, cursor: number): Promise<Completion>;
  /** The prompt, which may contain ANSI colour codes (it usually shows the working directory). */
  prompt(): string;
  /** Terminal width in columns. */
  columns(): number;
  /** Called whenever the history list changes (to persist it). */
  historyChanged?(history: readonly string[]): void;
  /**
   * Whether the text typed so far is a whole command, or needs more lines (an open quote, `if` without
   * `fi`, a trailing `\\`): then the editor shows `> ` and keeps reading, as bash does.
   */
  inputState?(text: string): Promise<'complete' | 'incomplete' | 'error'>;
}

export const CONTINUATION_PROMPT = '> ';

export const HISTORY_LIMIT = 500;

const ANSI_PATTERN = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)/g;

/** The number of columns a string occupies once its ANSI codes are removed. */
export function visibleLength(text: string): number {
  return Array.from(text.replace(ANSI_PATTERN, '')).length;
}

/** Splits xterm input data into keys: escape sequences, control characters and printable runs. */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    const ch = data[i];
    if (ch === '\x1b') {
      const next = data[i + 1];
      if (next === '[') {
        let j = i + 2;
        while (j < data.length && !/[@-~]/.test(data[j])) j++;
        keys.push(data.slice(i, j + 1));
        i = j + 1;
      } else if (next === 'O' && i + 2 < data.length) {
        keys.push(data.slice(i, i + 3));
        i += 3;
      } else if (next !== undefined) {
        keys.push(data.slice(i, i + 2));
        i += 2;
      } else {
        keys.push(ch);
        i += 1;
      }
    } else {
      keys.push(ch);
      i += 1;
    }
  }
  return keys;
}

/** The longest prefix every string shares. */
export function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0];
  for (const value of values.slice(1)) {
    let n = 0;
    while (n < prefix.length && n < value.length && prefix[n] === value[n]) n++;
    prefix = prefix.slice(0, n);
  }
  return prefix;
}

/** Lays candidates out in columns that fit the terminal width, like bash does on a second Tab. */
export function formatColumns(candidates: readonly string[], columns: number): string {
  const width = Math.max(...candidates.map((c) => c.length)) + 2;
  const perRow = Math.max(1, Math.floor(columns / width));
  const rows: string[] = [];
  for (let i = 0; i < candidates.length; i += perRow) {
    rows.push(
      candidates
        .slice(i, i + perRow)
        .map((c, k, row) => (k === row.length - 1 ? c : c.padEnd(width)))
        .join(''),
    );
  }
  return rows.join('\r\n');
}

export class LineEditor {
  private buffer = '';
  private cursor = 0;
  private entries: string[];
  /** Index into `entries` while browsing history; `entries.length` means the draft line. */
  private historyIndex: number;
  private draft = '';
  private running = false;
  private typeahead = '';
  /** Where the cursor sits, counted in cells from the start of the prompt (to redraw wrapped lines). */
  private cursorCell = 0;
  private completing = false;
  private lastTabLine: string | null = null;
  /** Before start() there is no prompt on screen: output is just written. */
  private started = false;
  /** A running command's question (eb init asking for a platform): the line answers it. */
  private question: { prompt: string; resolve: (answer: string) => void } | null = null;
  /** Lines of a command that is not complete yet (continued with `> `). */
  private continued = '';
  /** The running command's output so far ends mid-line (e.g. `curl -s` of a body without a newline). */
  private outputMidLine = false;

  constructor(
    private readonly host: LineEditorHost,
    history: readonly string[] = [],
  ) {
    this.entries = history.filter((h) => typeof h === 'string' && h.trim() !== '').slice(-HISTORY_LIMIT);
    this.historyIndex = this.entries.length;
  }

  get line(): string {
    return this.buffer;
  }

  get cursorPosition(): number {
    return this.cursor;
  }

  get history(): readonly string[] {
    return this.entries;
  }

  get busy(): boolean {
    return this.running;
  }

  /** Shows the first prompt. */
  start(): void {
    this.started = true;
    this.afterRun();
  }

  /** Feeds xterm's onData: typed keys or pasted text. */
  input(data: string): void {
    if ((this.running && !this.question) || !this.started) {
      // Ctrl-C must reach a running command at once; everything else waits for the next prompt.
      const ctrlC = data.indexOf('\x03');
      if (ctrlC >= 0) {
        this.typeahead = '';
        this.host.write('^C');
        this.host.interrupt();
      } else {
        this.typeahead += data;
      }
      return;
    }
    const keys = splitKeys(data);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key === '\r' || key === '\n') {
        if (key === '\n' && keys[k - 1] === '\r') continue;
        const rest = keys.slice(k + 1).join('');
        this.submit(rest);
        return;
      }
      this.handleKey(key);
    }
  }

  /** Writes command output, turning bare newlines into CRLF for the terminal. */
  output(text: string): void {
    const normalised = text.replace(/\r?\n/g, '\r\n');
    if (this.running || !this.started) {
      this.host.write(normalised);
      if (normalised) this.outputMidLine = !normalised.endsWith('\n');
      return;
    }
    // Output that arrives at the prompt (e.g. a background notice) goes above the line being edited.
    this.eraseLine();
    this.host.write(normalised.endsWith('\n') ? normalised : `${normalised}\r\n`);
    this.cursorCell = 0;
    this.redraw();
  }

  /** Replaces the history (e.g. after an import) without touching the current line. */
  setHistory(history: readonly string[]): void {
    this.entries = history.filter((h) => h.trim() !== '').slice(-HISTORY_LIMIT);
    this.historyIndex = this.entries.length;
  }

  /**
   * Reads one line for a running command (its question is printed; the last line of it is the prompt).
   * Ctrl-C answers with nothing and interrupts the command.
   */
  ask(question: string): Promise<string> {
    const normalised = question.replace(/\r?\n/g, '\n');
    const lastBreak = normalised.lastIndexOf('\n');
    if (lastBreak >= 0) this.host.write(normalised.slice(0, lastBreak + 1).replace(/\n/g, '\r\n'));
    return new Promise((resolve) => {
      this.question = { prompt: normalised.slice(lastBreak + 1), resolve };
      this.buffer = '';
      this.cursor = 0;
      this.cursorCell = 0;
      this.redraw();
      const pending = this.typeahead;
      this.typeahead = '';
      if (pending) this.input(pending);
    });
  }

  private handleKey(key: string): void {
    if (key !== '\t') this.lastTabLine = null;
    switch (key) {
      case '\x7f':
      case '\b':
        if (this.cursor > 0) {
          this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
          this.cursor--;
          this.redraw();
        }
        return;
      case '\x1b[3~':
      case '\x04':
        if (this.cursor < this.buffer.length) {
          this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1);
          this.redraw();
        }
        return;
      case '\x1b[D':
      case '\x02':
        if (this.cursor > 0) this.moveTo(this.cursor - 1);
        return;
      case '\x1b[C':
      case '\x06':
        if (this.cursor < this.buffer.length) this.moveTo(this.cursor + 1);
        return;
      case '\x1b[1;5D':
      case '\x1bb':
        this.moveTo(this.wordStartBefore(this.cursor));
        return;
      case '\x1b[1;5C':
      case '\x1bf':
        this.moveTo(this.wordEndAfter(this.cursor));
        return;
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
      case '\x01':
        this.moveTo(0);
        return;
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
      case '\x05':
        this.moveTo(this.buffer.length);
        return;
      case '\x1b[A':
      case '\x10':
        this.historyStep(-1);
        return;
      case '\x1b[B':
      case '\x0e':
        this.historyStep(1);
        return;
      case '\x03':
        this.moveTo(this.buffer.length);
        if (this.question) {
          const { resolve } = this.question;
          this.question = null;
          this.buffer = '';
          this.cursor = 0;
          this.host.write('^C');
          this.host.interrupt();
          resolve('');
          return;
        }
        this.continued = '';
        this.host.write('^C\r\n');
        this.buffer = '';
        this.cursor = 0;
        this.cursorCell = 0;
        this.historyIndex = this.entries.length;
        this.redraw();
        return;
      case '\x0c':
        this.host.write('\x1b[2J\x1b[3J\x1b[H');
        this.cursorCell = 0;
        this.redraw();
        return;
      case '\x15':
        this.buffer = this.buffer.slice(this.cursor);
        this.cursor = 0;
        this.redraw();
        return;
      case '\x0b':
        this.buffer = this.buffer.slice(0, this.cursor);
        this.redraw();
        return;
      case '\x17': {
        const start = this.wordStartBefore(this.cursor);
        this.buffer = this.buffer.slice(0, start) + this.buffer.slice(this.cursor);
        this.cursor = start;
        this.redraw();
        return;
      }
      case '\t':
        void this.completeWord();
        return;
      default:
        if (key.startsWith('\x1b') || (key.length === 1 && key < ' ')) return;
        this.insert(key);
    }
  }

  private insert(text: string): void {
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
    this.redraw();
  }

  private submit(rest: string): void {
    const typed = this.buffer;
    this.moveTo(this.buffer.length);
    this.host.write('\r\n');
    this.buffer = '';
    this.cursor = 0;
    this.cursorCell = 0;
    this.draft = '';
    if (this.question) {
      const { resolve } = this.question;
      this.question = null;
      this.typeahead = rest;
      resolve(typed);
      return;
    }
    const line = this.continued ? `${this.continued}\n${typed}` : typed;
    if (this.host.inputState && line.trim() !== '') {
      // Ask the shell whether the command is whole; keys typed meanwhile wait in the typeahead.
      this.running = true;
      this.typeahead = rest;
      this.host
        .inputState(line)
        .catch(() => 'complete' as const)
        .then((state) => {
          this.running = false;
          if (state === 'incomplete') {
            this.continued = line;
            this.afterRun();
          } else {
            this.continued = '';
            const pending = this.typeahead;
            this.typeahead = '';
            this.execute(line, pending);
          }
        });
      return;
    }
    this.continued = '';
    this.execute(line, rest);
  }

  private execute(line: string, rest: string): void {
    // Multi-line commands run as typed but are not recalled line by line; single lines go to history.
    if (line.trim() !== '' && !line.includes('\n') && this.entries[this.entries.length - 1] !== line) {
      this.entries.push(line);
      if (this.entries.length > HISTORY_LIMIT) this.entries.splice(0, this.entries.length - HISTORY_LIMIT);
      this.host.historyChanged?.(this.entries);
    }
    this.historyIndex = this.entries.length;
    this.typeahead = rest;
    if (line.trim() === '') {
      this.afterRun();
      return;
    }
    this.running = true;
    let settled: Promise<void>;
    try {
      settled = Promise.resolve(this.host.run(line));
    } catch (error) {
      settled = Promise.reject(error);
    }
    settled
      .catch((error: unknown) => {
        this.host.write(`\r\n${error instanceof Error ? error.message : String(error)}\r\n`);
      })
      .finally(() => {
        this.running = false;
        this.afterRun();
      });
  }

  private afterRun(): void {
    // The prompt is drawn from the start of its line; output left mid-line would be drawn over, so end it first (as bash shows it).
    if (this.outputMidLine) this.host.write('\r\n');
    this.outputMidLine = false;
    this.cursorCell = 0;
    this.redraw();
    const pending = this.typeahead;
    this.typeahead = '';
    if (pending) this.input(pending);
  }

  private historyStep(direction: -1 | 1): void {
    const target = this.historyIndex + direction;
    if (target < 0 || target > this.entries.length) return;
    if (this.historyIndex === this.entries.length) this.draft = this.buffer;
    this.historyIndex = target;
    this.buffer = target === this.entries.length ? this.draft : this.entries[target];
    this.cursor = this.buffer.length;
    this.redraw();
  }

  private async completeWord(): Promise<void> {
    if (!this.host.complete || this.completing) return;
    const lineAtTab = this.buffer;
    const cursorAtTab = this.cursor;
    this.completing = true;
    let completion: Completion;
    try {
      completion = await this.host.complete(lineAtTab, cursorAtTab);
    } catch {
      return;
    } finally {
      this.completing = false;
    }
    // The learner kept typing while completions were computed: they no longer apply.
    if (this.buffer !== lineAtTab || this.cursor !== cursorAtTab || this.running) return;
    const from = Math.max(0, Math.min(completion.from, cursorAtTab));
    const word = lineAtTab.slice(from, cursorAtTab);
    const candidates = [...new Set(completion.candidates)].filter((c) => c.startsWith(word)).sort();
    if (candidates.length === 0) {
      this.host.write('\x07');
      return;
    }
    if (candidates.length === 1) {
      const only = candidates[0];
      const suffix = only.endsWith('/') ? '' : ' ';
      this.insert(only.slice(word.length) + (lineAtTab.slice(cursorAtTab).startsWith(' ') ? '' : suffix));
      this.lastTabLine = null;
      return;
    }
    const prefix = commonPrefix(candidates);
    if (prefix.length > word.length) {
      this.insert(prefix.slice(word.length));
      this.lastTabLine = this.buffer;
      return;
    }
    if (this.lastTabLine === lineAtTab) {
      // A second Tab with nothing more to add lists the choices, as bash does.
      this.moveTo(this.buffer.length);
      this.host.write(`\r\n${formatColumns(candidates, this.host.columns())}\r\n`);
      this.cursorCell = 0;
      this.redraw();
      this.lastTabLine = null;
      return;
    }
    this.lastTabLine = lineAtTab;
    this.host.write('\x07');
  }

  private wordStartBefore(position: number): number {
    let i = position;
    while (i > 0 && this.buffer[i - 1] === ' ') i--;
    while (i > 0 && this.buffer[i - 1] !== ' ') i--;
    return i;
  }

  private wordEndAfter(position: number): number {
    let i = position;
    while (i < this.buffer.length && this.buffer[i] === ' ') i++;
    while (i < this.buffer.length && this.buffer[i] !== ' ') i++;
    return i;
  }

  /** Moves the terminal cursor from `cursorCell` to `cell` (cells counted from the prompt start). */
  private cursorMove(from: number, to: number): string {
    const cols = Math.max(1, this.host.columns());
    const rowDelta = Math.floor(to / cols) - Math.floor(from / cols);
    let seq = '';
    if (rowDelta < 0) seq += `\x1b[${-rowDelta}A`;
    if (rowDelta > 0) seq += `\x1b[${rowDelta}B`;
    seq += '\r';
    const col = to % cols;
    if (col > 0) seq += `\x1b[${col}C`;
    return seq;
  }

  private currentPrompt(): string {
    if (this.question) return this.question.prompt;
    return this.continued ? CONTINUATION_PROMPT : this.host.prompt();
  }

  private moveTo(position: number): void {
    const promptCells = visibleLength(this.currentPrompt());
    const target = promptCells + visibleLength(this.buffer.slice(0, position));
    this.cursor = position;
    this.host.write(this.cursorMove(this.cursorCell, target));
    this.cursorCell = target;
  }

  /** Erases the prompt and line from the screen, leaving the cursor where the prompt began. */
  private eraseLine(): void {
    this.host.write(`${this.cursorMove(this.cursorCell, 0)}\x1b[J`);
    this.cursorCell = 0;
  }

  /** Redraws prompt and line in place (they may wrap over several rows) and puts the cursor back. */
  private redraw(): void {
    const cols = Math.max(1, this.host.columns());
    const prompt = this.currentPrompt();
    const promptCells = visibleLength(prompt);
    const end = promptCells + visibleLength(this.buffer);
    let text = `${this.cursorMove(this.cursorCell, 0)}\x1b[J${prompt}${this.buffer}`;
    // At an exact multiple of the width the terminal holds the cursor in the last column; force the wrap.
    if (end > 0 && end % cols === 0) text += ' \b';
    const target = promptCells + visibleLength(this.buffer.slice(0, this.cursor));
    text += this.cursorMove(end, target);
    this.host.write(text);
    this.cursorCell = target;
  }
}
