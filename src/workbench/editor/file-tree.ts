// The workspace file tree (an ARIA tree named "Files"): folders fold, arrow keys move, Enter opens,
// F2 renames, Delete deletes; the toolbar creates files and folders. Paths are relative to the workspace.
import { askText, confirmAction } from '../dialogs.ts';

const COLLAPSED = new Set(['node_modules', 'venv', '.venv', '__pycache__']);

export interface FileTreeActions {
  open(path: string): void;
  createFile(path: string): Promise<void>;
  createFolder(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
}

interface Node {
  name: string;
  path: string;
  folder: boolean;
  children: Node[];
}

/** Builds the folder structure from file paths and (possibly empty) folder paths, folders first. */
export function buildTree(files: readonly string[], folders: readonly string[] = []): Node[] {
  const root: Node = { name: '', path: '', folder: true, children: [] };
  const ensureFolder = (path: string): Node => {
    let node = root;
    let prefix = '';
    for (const part of path.split('/').filter(Boolean)) {
      prefix = prefix ? `${prefix}/${part}` : part;
      let child = node.children.find((c) => c.folder && c.name === part);
      if (!child) {
        child = { name: part, path: prefix, folder: true, children: [] };
        node.children.push(child);
      }
      node = child;
    }
    return node;
  };
  for (const folder of folders) ensureFolder(folder);
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    const parent = slash >= 0 ? ensureFolder(file.slice(0, slash)) : root;
    parent.children.push({ name: file.slice(slash + 1), path: file, folder: false, children: [] });
  }
  const sort = (nodes: Node[]) => {
    nodes.sort((a, b) => (a.folder === b.folder ? a.name.localeCompare(b.name) : a.folder ? -1 : 1));
    for (const n of nodes) sort(n.children);
  };
  sort(root.children);
  return root.children;
}

/** Why a name cannot be used, or null. */
export function validateName(value: string, existing: ReadonlySet<string>, current?: string): string | null {
  if (value === '') return 'Type a name.';
  if (value.startsWith('/')) return 'Use a path inside the workspace, without a leading "/".';
  if (value.split('/').some((p) => p === '..' || p === '.')) return 'A path cannot contain "." or ".." parts.';
  if (value.split('/').some((p) => p === '')) return 'A path cannot contain an empty part ("//" or a trailing "/").';
  if (/[\0\\]/.test(value)) return 'A name cannot contain "\\" or NUL.';
  if (value !== current && existing.has(value)) return `"${value}" already exists.`;
  return null;
}

export class FileTree {
  readonly element: HTMLUListElement;
  private files: string[] = [];
  private folders: string[] = [];
  private readonly expanded = new Set<string>();
  private selected: string | null = null;
  private openPath: string | null = null;
  private readonly toolbar: HTMLElement;
  private initialised = false;

  constructor(parent: HTMLElement, private readonly actions: FileTreeActions) {
    this.toolbar = document.createElement('div');
    this.toolbar.className = 'tree-toolbar';
    this.toolbar.setAttribute('role', 'toolbar');
    this.toolbar.setAttribute('aria-label', 'File actions');
    const make = (label: string, text: string, run: () => void) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'icon-button';
      b.textContent = text;
      b.setAttribute('aria-label', label);
      b.title = label;
      b.addEventListener('click', run);
      this.toolbar.append(b);
    };
    make('New file', '+ File', () => void this.promptCreate(false));
    make('New folder', '+ Folder', () => void this.promptCreate(true));
    make('Rename', 'Rename', () => this.selected && void this.promptRename(this.selected));
    make('Delete', 'Delete', () => this.selected && void this.promptDelete(this.selected));
    this.element = document.createElement('ul');
    this.element.setAttribute('role', 'tree');
    this.element.setAttribute('aria-label', 'Files');
    this.element.className = 'file-tree';
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    parent.append(this.toolbar, this.element);
  }

  get paths(): readonly string[] {
    return this.files;
  }

  /** Replaces the listing (folders that only exist as parents need not be given). */
  setFiles(files: Iterable<string>, folders: Iterable<string> = []): void {
    this.files = [...files].sort();
    this.folders = [...folders].sort();
    // Top-level folders start open, except installed dependencies, which nobody edits.
    if (!this.initialised) {
      this.initialised = true;
      for (const f of this.allFolders()) if (!f.includes('/') && !COLLAPSED.has(f)) this.expanded.add(f);
    }
    this.render();
  }

  /** Marks the file open in the editor and reveals it. */
  markOpen(path: string | null): void {
    this.openPath = path;
    if (path) {
      this.selected = path;
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) this.expanded.add(parts.slice(0, i).join('/'));
    }
    this.render();
  }

  private allFolders(): string[] {
    const set = new Set(this.folders);
    for (const file of this.files) {
      const parts = file.split('/');
      for (let i = 1; i < parts.length; i++) set.add(parts.slice(0, i).join('/'));
    }
    return [...set];
  }

  private existing(): Set<string> {
    return new Set([...this.files, ...this.allFolders()]);
  }

  private render(): void {
    const hadFocus = this.element.contains(document.activeElement);
    this.element.replaceChildren();
    const visible: HTMLElement[] = [];
    const draw = (nodes: Node[], into: HTMLElement, level: number) => {
      nodes.forEach((node, index) => {
        const li = document.createElement('li');
        li.setAttribute('role', 'treeitem');
        li.setAttribute('aria-level', String(level));
        li.setAttribute('aria-setsize', String(nodes.length));
        li.setAttribute('aria-posinset', String(index + 1));
        li.dataset.path = node.path;
        li.tabIndex = -1;
        const label = document.createElement('span');
        label.className = `tree-label ${node.folder ? 'folder' : 'file'}`;
        label.style.paddingInlineStart = `${0.4 + (level - 1) * 0.9}rem`;
        label.textContent = node.folder ? `${this.expanded.has(node.path) ? '▾' : '▸'} ${node.name}` : node.name;
        li.append(label);
        if (node.path === this.selected) li.setAttribute('aria-selected', 'true');
        else li.setAttribute('aria-selected', 'false');
        if (node.path === this.openPath) li.classList.add('open');
        li.addEventListener('click', (e) => {
          e.stopPropagation();
          this.select(node.path);
          if (node.folder) this.toggle(node.path);
          else this.actions.open(node.path);
        });
        into.append(li);
        visible.push(li);
        if (node.folder) {
          const open = this.expanded.has(node.path);
          li.setAttribute('aria-expanded', String(open));
          if (open && node.children.length > 0) {
            const group = document.createElement('ul');
            group.setAttribute('role', 'group');
            li.append(group);
            draw(node.children, group, level + 1);
          }
        }
      });
    };
    draw(buildTree(this.files, this.folders), this.element, 1);
    const current = visible.find((li) => li.dataset.path === this.selected) ?? visible[0];
    if (current) current.tabIndex = 0;
    if (hadFocus) current?.focus();
  }

  private items(): HTMLElement[] {
    return [...this.element.querySelectorAll<HTMLElement>('[role="treeitem"]')];
  }

  private select(path: string): void {
    this.selected = path;
    for (const li of this.items()) {
      const on = li.dataset.path === path;
      li.setAttribute('aria-selected', String(on));
      li.tabIndex = on ? 0 : -1;
    }
  }

  private toggle(path: string): void {
    if (this.expanded.has(path)) this.expanded.delete(path);
    else this.expanded.add(path);
    this.render();
    this.focusPath(path);
  }

  private focusPath(path: string): void {
    this.select(path);
    this.items().find((li) => li.dataset.path === path)?.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const items = this.items();
    const target = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (!target) return;
    const path = target.dataset.path ?? '';
    const index = items.indexOf(target);
    const isFolder = target.hasAttribute('aria-expanded');
    const handled = () => {
      event.preventDefault();
      event.stopPropagation();
    };
    switch (event.key) {
      case 'ArrowDown':
        if (items[index + 1]) this.focusPath(items[index + 1].dataset.path ?? '');
        return handled();
      case 'ArrowUp':
        if (items[index - 1]) this.focusPath(items[index - 1].dataset.path ?? '');
        return handled();
      case 'Home':
        if (items[0]) this.focusPath(items[0].dataset.path ?? '');
        return handled();
      case 'End':
        if (items.length) this.focusPath(items[items.length - 1].dataset.path ?? '');
        return handled();
      case 'ArrowRight':
        if (isFolder && !this.expanded.has(path)) this.toggle(path);
        else if (isFolder && items[index + 1]) this.focusPath(items[index + 1].dataset.path ?? '');
        return handled();
      case 'ArrowLeft':
        if (isFolder && this.expanded.has(path)) this.toggle(path);
        else if (path.includes('/')) this.focusPath(path.slice(0, path.lastIndexOf('/')));
        return handled();
      case 'Enter':
      case ' ':
        if (isFolder) this.toggle(path);
        else this.actions.open(path);
        return handled();
      case 'F2':
        void this.promptRename(path);
        return handled();
      case 'Delete':
        void this.promptDelete(path);
        return handled();
    }
  }

  private baseFolder(): string {
    const sel = this.selected;
    if (!sel) return '';
    if (this.allFolders().includes(sel)) return `${sel}/`;
    return sel.includes('/') ? sel.slice(0, sel.lastIndexOf('/') + 1) : '';
  }

  private async promptCreate(folder: boolean): Promise<void> {
    const existing = this.existing();
    const name = await askText(folder ? 'New folder' : 'New file', folder ? 'Folder path' : 'File path (folders are created as needed)', this.baseFolder(), (v) => validateName(v, existing));
    if (!name) return;
    if (folder) {
      await this.actions.createFolder(name);
      this.expanded.add(name);
    } else {
      await this.actions.createFile(name);
    }
    this.selected = name;
  }

  private async promptRename(path: string): Promise<void> {
    const existing = this.existing();
    const name = await askText(`Rename ${path}`, 'New path', path, (v) => validateName(v, existing, path));
    if (!name || name === path) return;
    await this.actions.rename(path, name);
    this.selected = name;
  }

  private async promptDelete(path: string): Promise<void> {
    const folder = this.allFolders().includes(path);
    const ok = await confirmAction(`Delete ${path}?`, folder ? `This deletes the folder ${path} and everything in it.` : `This deletes ${path}. There is no undo (Reset lab brings back the starter files).`, 'Delete');
    if (!ok) return;
    await this.actions.remove(path);
    if (this.selected === path) this.selected = null;
  }
}
