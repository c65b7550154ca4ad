// The code editor: CodeMirror 6 over the workspace files, one editor state per open file (so undo history
// survives switching files), syntax by file name, autosave through a debounced callback.
import { EditorState, Compartment, type Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle, indentOnInput, bracketMatching, indentUnit } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { languageFor, loadLanguage } from './languages.ts';

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.operatorKeyword, tags.definitionKeyword, tags.moduleKeyword], color: 'var(--syntax-keyword)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--syntax-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--syntax-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--syntax-comment)', fontStyle: 'italic' },
  { tag: [tags.propertyName, tags.attributeName, tags.definition(tags.propertyName)], color: 'var(--syntax-property)' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--syntax-function)' },
  { tag: [tags.typeName, tags.className, tags.namespace], color: 'var(--syntax-type)' },
  { tag: [tags.meta, tags.processingInstruction, tags.heading], color: 'var(--syntax-meta)' },
  { tag: tags.invalid, color: 'var(--bad)' },
]);

export interface CodeEditorOptions {
  /** Called (debounced) with the new text of a file the learner edited. */
  save(path: string, text: string): void;
  /** Milliseconds of quiet before autosave. */
  autosaveDelay?: number;
}

export class CodeEditor {
  readonly view: EditorView;
  private readonly states = new Map<string, EditorState>();
  private readonly language = new Compartment();
  private readonly readOnly = new Compartment();
  private currentPath: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dirty = false;
  /** Set while the editor applies a change from outside (the shell), so it is not saved back. */
  private applyingExternal = false;

  constructor(parent: HTMLElement, private readonly options: CodeEditorOptions) {
    this.view = new EditorView({ parent, state: this.createState('', []) });
    this.view.contentDOM.setAttribute('aria-label', 'Editor');
    this.setPlaceholder(true);
  }

  get path(): string | null {
    return this.currentPath;
  }

  private baseExtensions(): Extension[] {
    return [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      drawSelection(),
      history(),
      indentOnInput(),
      bracketMatching(),
      indentUnit.of('  '),
      syntaxHighlighting(highlight),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab, { key: 'Mod-s', run: () => (this.flush(), true) }]),
      // An explicit tab stop: the scrolling editor must be reachable by keyboard even when read-only.
      EditorView.contentAttributes.of({ 'aria-label': 'Editor', tabindex: '0' }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged && !this.applyingExternal) this.scheduleSave();
      }),
    ];
  }

  private createState(text: string, language: Extension, editable = true): EditorState {
    return EditorState.create({
      doc: text,
      extensions: [this.baseExtensions(), this.language.of(language), this.readOnly.of([EditorState.readOnly.of(!editable), EditorView.editable.of(editable)])],
    });
  }

  private setPlaceholder(on: boolean): void {
    this.view.dom.classList.toggle('no-file', on);
  }

  /** Opens a file (text, or a notice for binary content); returns once its language has loaded. */
  async open(path: string, content: string | Uint8Array): Promise<void> {
    this.flush();
    if (this.currentPath) this.states.set(this.currentPath, this.view.state);
    this.currentPath = path;
    this.setPlaceholder(false);
    if (typeof content !== 'string') {
      this.view.setState(this.createState(`${path} is a binary file (${content.byteLength} bytes); it cannot be edited here.\nUse unzip -l ${path} in the terminal to look inside.`, [], false));
      return;
    }
    const kept = this.states.get(path);
    this.view.setState(kept && kept.doc.toString() === content ? kept : this.createState(content, []));
    // The text shows at once; highlighting follows when the language's chunk has loaded.
    void loadLanguage(languageFor(path)).then(
      (lang) => {
        if (this.currentPath === path) this.view.dispatch({ effects: this.language.reconfigure(lang) });
      },
      () => undefined,
    );
  }

  /** Shows nothing (e.g. after the open file was deleted). */
  close(): void {
    this.flush();
    this.currentPath = null;
    this.view.setState(this.createState('', [], false));
    this.setPlaceholder(true);
  }

  /** A file changed outside the editor (shell command, reset, import): update it without saving it back. */
  externalChange(path: string, content: string | Uint8Array | null): void {
    if (content === null) {
      this.states.delete(path);
      if (this.currentPath === path) this.close();
      return;
    }
    if (this.currentPath !== path) {
      this.states.delete(path);
      return;
    }
    if (typeof content !== 'string') {
      void this.open(path, content);
      return;
    }
    const current = this.view.state.doc.toString();
    if (current === content) return;
    // Keep the cursor where it was (clamped), so a learner editing while a command writes is not thrown around.
    const head = Math.min(this.view.state.selection.main.head, content.length);
    this.applyingExternal = true;
    try {
      this.view.dispatch({ changes: { from: 0, to: current.length, insert: content }, selection: { anchor: head } });
    } finally {
      this.applyingExternal = false;
    }
  }

  renamed(from: string, to: string): void {
    const kept = this.states.get(from);
    this.states.delete(from);
    if (kept) this.states.set(to, kept);
    if (this.currentPath === from) this.currentPath = to;
    else if (this.currentPath?.startsWith(`${from}/`)) this.currentPath = to + this.currentPath.slice(from.length);
  }

  /** Saves now if there are unsaved edits (before checks, export, or leaving the page). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty && this.currentPath && !this.view.state.readOnly) {
      this.dirty = false;
      this.options.save(this.currentPath, this.view.state.doc.toString());
    }
  }

  focus(): void {
    this.view.focus();
  }

  private scheduleSave(): void {
    this.dirty = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.autosaveDelay ?? 400);
  }
}
