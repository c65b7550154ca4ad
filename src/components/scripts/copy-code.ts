// Adds a "Copy" button to every highlighted code block and to Terminal transcripts (commands only).
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard refused (permissions, insecure origin): the button says so and the text stays selectable.
    return false;
  }
}

function copyButton(label: string, text: () => string): HTMLElement[] {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-button';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', label);
  const status = document.createElement('span');
  status.className = 'sr-only';
  status.setAttribute('role', 'status');
  button.addEventListener('click', async () => {
    const ok = await copyText(text());
    button.textContent = ok ? 'Copied' : 'Copy failed';
    status.textContent = ok ? 'Copied to the clipboard' : 'Could not copy; select the text instead';
    setTimeout(() => {
      button.textContent = 'Copy';
      status.textContent = '';
    }, 2000);
  });
  return [button, status];
}

export function initCopyButtons(root: ParentNode = document): void {
  for (const pre of root.querySelectorAll<HTMLPreElement>('pre.astro-code')) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const language = pre.dataset.language && pre.dataset.language !== 'plaintext' ? pre.dataset.language : '';
    // A bar above the code holds the language and the button, so the button never covers code.
    const wrapper = document.createElement('div');
    wrapper.className = 'code-block';
    const bar = document.createElement('div');
    bar.className = 'code-bar';
    const name = document.createElement('span');
    name.className = 'code-language';
    name.textContent = language;
    bar.append(name, ...copyButton(language ? `Copy ${language} code` : 'Copy code', () => pre.querySelector('code')?.innerText ?? pre.innerText));
    pre.replaceWith(wrapper);
    wrapper.append(bar, pre);
  }
  for (const terminal of root.querySelectorAll<HTMLElement>('figure.terminal[data-copy-text]')) {
    if (terminal.querySelector('.copy-button')) continue;
    terminal.append(...copyButton('Copy the commands', () => terminal.dataset.copyText ?? ''));
  }
}
