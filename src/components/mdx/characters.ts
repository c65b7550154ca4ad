// The story's cast as the Dialogue component shows them (names and roles per shared/STORY.md).
export const CHARACTERS = {
  alex: { name: 'Alex', role: 'Backend developer, ML service', initial: 'A', colour: '#0f6e78' },
  maya: { name: 'Maya', role: 'Senior engineer, web team', initial: 'M', colour: '#6b3fa0' },
  elena: { name: 'Elena', role: 'CTO', initial: 'E', colour: '#a8431a' },
} as const;
export type Speaker = keyof typeof CHARACTERS;

export function character(who: string): (typeof CHARACTERS)[Speaker] {
  if (!(who in CHARACTERS)) throw new Error(`Line: who="${who}" is not a character; use one of ${Object.keys(CHARACTERS).join(', ')}`);
  return CHARACTERS[who as Speaker];
}
