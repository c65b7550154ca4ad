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

function addButton(container: HTMLElement, label: string, text: () => string): void {
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
  container.append(button, status);
}

export function initCopyButtons(root: ParentNode = document): void {
  for (const pre of root.querySelectorAll<HTMLPreElement>('pre.astro-code')) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const wrapper = document.createElement('div');
    wrapper.className = 'code-block';
    pre.replaceWith(wrapper);
    wrapper.append(pre);
    const language = pre.dataset.language;
    addButton(wrapper, language && language !== 'plaintext' ? `Copy ${language} code` : 'Copy code', () => pre.querySelector('code')?.innerText ?? pre.innerText);
  }
  for (const terminal of root.querySelectorAll<HTMLElement>('figure.terminal[data-copy-text]')) {
    if (terminal.querySelector('.copy-button')) continue;
    addButton(terminal, 'Copy the commands', () => terminal.dataset.copyText ?? '');
  }
}
