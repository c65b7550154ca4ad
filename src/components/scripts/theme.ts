// Theme switching for the header toggle: follows the system until the learner picks, then remembers the pick.
export const THEME_STORAGE_KEY = 'beanstalk-academy:theme';
export type Theme = 'light' | 'dark';

function savedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === 'dark' || value === 'light' ? value : null;
  } catch {
    return null;
  }
}

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]')) {
    button.setAttribute('aria-pressed', String(theme === 'dark'));
  }
}

export function initThemeToggle(): void {
  applyTheme(currentTheme());
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]')) {
    button.addEventListener('click', () => {
      const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
      applyTheme(next);
      try {
        localStorage.setItem(THEME_STORAGE_KEY, next);
      } catch {
        // Storage denied: the theme still switches for this page.
      }
    });
  }
  const system = window.matchMedia('(prefers-color-scheme: dark)');
  system.addEventListener('change', (event) => {
    if (savedTheme() === null) applyTheme(event.matches ? 'dark' : 'light');
  });
}
