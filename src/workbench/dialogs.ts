// Modal questions the workbench asks (a file name, "reset the lab?"), as native <dialog> elements so focus,
// Escape and screen readers behave as everywhere else on the web.

function dialogShell(title: string): { dialog: HTMLDialogElement; form: HTMLFormElement; body: HTMLElement; actions: HTMLElement } {
  const dialog = document.createElement('dialog');
  dialog.className = 'wb-dialog';
  const heading = document.createElement('h2');
  heading.textContent = title;
  heading.id = `wb-dialog-${Math.random().toString(36).slice(2)}`;
  dialog.setAttribute('aria-labelledby', heading.id);
  const form = document.createElement('form');
  form.method = 'dialog';
  const body = document.createElement('div');
  const actions = document.createElement('div');
  actions.className = 'wb-dialog-actions';
  form.append(heading, body, actions);
  dialog.append(form);
  document.body.append(dialog);
  return { dialog, form, body, actions };
}

function button(text: string, value: string, primary = false): HTMLButtonElement {
  const b = document.createElement('button');
  // Cancel is a plain button so that Enter in a text field submits with OK, not with the first button.
  b.type = value === 'cancel' ? 'button' : 'submit';
  if (value === 'cancel') b.addEventListener('click', () => b.closest('dialog')?.close('cancel'));
  b.value = value;
  b.textContent = text;
  b.className = primary ? 'primary' : 'secondary';
  return b;
}

/** Asks yes or no; resolves true only when the learner confirmed. */
export function confirmAction(title: string, message: string, confirmLabel: string): Promise<boolean> {
  const { dialog, body, actions } = dialogShell(title);
  const p = document.createElement('p');
  p.textContent = message;
  body.append(p);
  const cancel = button('Cancel', 'cancel');
  actions.append(cancel, button(confirmLabel, 'confirm', true));
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    dialog.showModal();
    cancel.focus();
  });
}

/** Asks for a line of text; `validate` returns an error message or null. Resolves null on cancel. */
export function askText(title: string, label: string, initial: string, validate: (value: string) => string | null): Promise<string | null> {
  const { dialog, form, body, actions } = dialogShell(title);
  const id = `wb-input-${Math.random().toString(36).slice(2)}`;
  const labelEl = document.createElement('label');
  labelEl.htmlFor = id;
  labelEl.textContent = label;
  const input = document.createElement('input');
  input.id = id;
  input.value = initial;
  input.autocomplete = 'off';
  input.spellcheck = false;
  const error = document.createElement('p');
  error.className = 'wb-dialog-error';
  error.id = `${id}-error`;
  error.setAttribute('role', 'alert');
  input.setAttribute('aria-describedby', error.id);
  body.append(labelEl, input, error);
  actions.append(button('Cancel', 'cancel'), button('OK', 'ok', true));
  form.addEventListener('submit', (event) => {
    const problem = validate(input.value.trim());
    if (problem) {
      event.preventDefault();
      error.textContent = problem;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok' ? input.value.trim() : null);
      dialog.remove();
    });
    dialog.showModal();
    input.focus();
    const dot = initial.lastIndexOf('.');
    input.setSelectionRange(initial.lastIndexOf('/') + 1, dot > initial.lastIndexOf('/') + 1 ? dot : initial.length);
  });
}
