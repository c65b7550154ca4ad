// The "Cloud" setting: the built-in sandbox (with its time speed) or an endpoint URL (LocalStack,
// `academy cloud`), tested through /_localstack/health with an explanation of what differs.
import { DEFAULT_SPEED, type CloudSetting } from './persistence/lab-store.ts';
import type { EndpointReport } from './protocol.ts';
import { endpointProblem } from './session/endpoint-health.ts';

export { DEFAULT_SPEED };
export const SPEED_CHOICES = [10, 20, 40, 60, 120];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Opens the settings dialog; resolves the new setting, or null when cancelled or unchanged. */
export function editCloudSetting(current: CloudSetting, test: (endpoint: string) => Promise<EndpointReport>): Promise<CloudSetting | null> {
  const dialog = el('dialog', { className: 'wb-dialog cloud-dialog' });
  dialog.setAttribute('aria-labelledby', 'cloud-dialog-title');
  const form = el('form', { method: 'dialog' });
  const sandbox = el('input', { type: 'radio', name: 'cloud-kind', value: 'sandbox', id: 'cloud-kind-sandbox', checked: current.kind === 'sandbox' });
  const endpoint = el('input', { type: 'radio', name: 'cloud-kind', value: 'endpoint', id: 'cloud-kind-endpoint', checked: current.kind === 'endpoint' });
  const speed = el('select', { id: 'cloud-speed' });
  for (const s of SPEED_CHOICES) speed.append(el('option', { value: String(s), textContent: `×${s} (a 5-minute launch takes ${Math.round(300 / s)} s)`, selected: s === current.speed }));
  if (!SPEED_CHOICES.includes(current.speed)) speed.append(el('option', { value: String(current.speed), textContent: `×${current.speed}`, selected: true }));
  const url = el('input', { type: 'url', id: 'cloud-endpoint', value: current.endpoint ?? 'http://localhost:4566', placeholder: 'http://localhost:4566', spellcheck: false });
  const testButton = el('button', { type: 'button', className: 'secondary', textContent: 'Test connection' });
  const report = el('div', { className: 'cloud-report' });
  report.setAttribute('role', 'status');
  const error = el('p', { className: 'wb-dialog-error', id: 'cloud-endpoint-error' });
  error.setAttribute('role', 'alert');
  url.setAttribute('aria-describedby', 'cloud-endpoint-error');

  testButton.addEventListener('click', async () => {
    const problem = endpointProblem(url.value.trim());
    if (problem) {
      error.textContent = problem;
      return;
    }
    error.textContent = '';
    report.replaceChildren(el('p', { textContent: `Testing ${url.value.trim()}/_localstack/health …` }));
    const result = await test(url.value.trim());
    const list = el('ul');
    for (const d of result.differences) list.append(el('li', { textContent: d }));
    report.replaceChildren(el('p', { className: result.ok ? 'good' : 'bad', textContent: result.summary }), ...(result.differences.length ? [el('p', { textContent: 'What differs from the built-in sandbox:' }), list] : []));
  });

  const cancel = el('button', { type: 'button', className: 'secondary', textContent: 'Cancel' });
  cancel.addEventListener('click', () => dialog.close('cancel'));
  form.append(
    el('h2', { id: 'cloud-dialog-title', textContent: 'Cloud' }),
    el('fieldset', {},
      el('legend', { textContent: 'Which cloud the terminal and the checks talk to' }),
      el('div', { className: 'radio-row' }, sandbox, el('label', { htmlFor: 'cloud-kind-sandbox', textContent: 'Built-in sandbox (offline, in this tab; shows the deployment timeline)' })),
      el('div', { className: 'field' }, el('label', { htmlFor: 'cloud-speed', textContent: 'Sandbox time speed' }), speed),
      el('div', { className: 'radio-row' }, endpoint, el('label', { htmlFor: 'cloud-kind-endpoint', textContent: 'An endpoint URL: LocalStack or `academy cloud`' })),
      el('div', { className: 'field' }, el('label', { htmlFor: 'cloud-endpoint', textContent: 'Endpoint URL' }), url, testButton),
      error,
    ),
    el('p', { className: 'muted', textContent: 'LocalStack needs its paid Ultimate plan (and an auth token) for Elastic Beanstalk, and has no events, health or timeline; sandbox-only evidence is then unavailable. `npx academy cloud` runs this same sandbox on your machine.' }),
    report,
    el('div', { className: 'wb-dialog-actions' }, cancel, el('button', { type: 'submit', value: 'save', className: 'primary', textContent: 'Use this cloud' })),
  );
  form.addEventListener('submit', (event) => {
    if (endpoint.checked) {
      const problem = endpointProblem(url.value.trim());
      if (problem) {
        event.preventDefault();
        error.textContent = problem;
        url.focus();
      }
    }
  });
  dialog.append(form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (dialog.returnValue !== 'save') return resolve(null);
      const next: CloudSetting = endpoint.checked
        ? { kind: 'endpoint', endpoint: new URL(url.value.trim()).origin, speed: Number(speed.value) }
        : { kind: 'sandbox', speed: Number(speed.value) };
      const same = next.kind === current.kind && next.speed === current.speed && (next.endpoint ?? '') === (current.endpoint ?? '');
      resolve(same ? null : next);
    });
    dialog.showModal();
    (current.kind === 'sandbox' ? sandbox : endpoint).focus();
  });
}
