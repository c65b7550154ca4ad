// The terminal panel: xterm 6 sized to its box, in screen-reader mode so output reaches assistive
// technology, with the line editor in front of the lab shell.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { LineEditor, type LineEditorHost } from './line-editor.ts';

export type TerminalHost = Omit<LineEditorHost, 'write' | 'columns'>;

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export class TerminalView {
  readonly terminal: Terminal;
  readonly editor: LineEditor;
  private readonly fit = new FitAddon();
  private readonly resizeObserver: ResizeObserver;

  constructor(container: HTMLElement, host: TerminalHost, history: readonly string[]) {
    this.terminal = new Terminal({
      fontFamily: cssVar('--font-mono', 'monospace'),
      fontSize: 14,
      cursorBlink: true,
      convertEol: false,
      scrollback: 5000,
      screenReaderMode: true,
      allowProposedApi: false,
      theme: this.theme(),
    });
    this.terminal.loadAddon(this.fit);
    this.terminal.open(container);
    this.terminal.textarea?.setAttribute('aria-label', 'Terminal input');
    this.editor = new LineEditor(
      {
        ...host,
        write: (text) => this.terminal.write(text),
        columns: () => this.terminal.cols,
      },
      history,
    );
    this.terminal.onData((data) => this.editor.input(data));
    // Tab completes in the terminal, so keyboard users leave it as in CodeMirror: Escape, then Tab.
    let leaving = false;
    this.terminal.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown') return true;
      if (event.key === 'Escape') {
        leaving = true;
        return false;
      }
      if (event.key === 'Tab' && leaving) {
        leaving = false;
        return false;
      }
      leaving = false;
      return true;
    });
    this.resizeObserver = new ResizeObserver(() => this.refit());
    this.resizeObserver.observe(container);
    this.refit();
    new MutationObserver(() => (this.terminal.options.theme = this.theme())).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }

  private theme() {
    return {
      background: cssVar('--terminal-bg', '#10161f'),
      foreground: cssVar('--terminal-text', '#e3e8ee'),
      cursor: cssVar('--terminal-prompt', '#7ed6a0'),
      selectionBackground: '#3a4a5e',
    };
  }

  refit(): void {
    try {
      this.fit.fit();
    } catch {
      // Not laid out yet (hidden panel); the next resize fits it.
    }
  }

  /** Prints a line of information (not command output) without disturbing the line being edited. */
  notice(text: string): void {
    this.editor.output(`\x1b[2m${text}\x1b[0m\n`);
  }

  focus(): void {
    this.terminal.focus();
  }
}
