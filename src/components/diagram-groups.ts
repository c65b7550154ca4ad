// The data an author gives a boxes-and-arrows Diagram, and its validation (errors name the diagram).
export interface DiagramGroup {
  label: string;
  items?: string[];
  note?: string;
  /** you: what the learner provides; eb: what Elastic Beanstalk manages; warn: a trouble spot. */
  tone?: 'neutral' | 'you' | 'eb' | 'warn';
}

export function checkDiagramGroups(title: string, groups: unknown, arrows: unknown): void {
  if (!Array.isArray(groups) || groups.length === 0) throw new Error(`Diagram "${title}": groups must be a non-empty list of { label, items?, note?, tone? }`);
  groups.forEach((g, i) => {
    if (typeof g !== 'object' || g === null || typeof (g as DiagramGroup).label !== 'string' || (g as DiagramGroup).label.trim() === '') {
      throw new Error(`Diagram "${title}": groups[${i}] needs a label (text)`);
    }
    const { items, tone } = g as DiagramGroup;
    if (items !== undefined && (!Array.isArray(items) || items.some((x) => typeof x !== 'string'))) throw new Error(`Diagram "${title}": groups[${i}].items must be a list of text`);
    if (tone !== undefined && !['neutral', 'you', 'eb', 'warn'].includes(tone)) throw new Error(`Diagram "${title}": groups[${i}].tone "${tone}" is not one of neutral, you, eb, warn`);
  });
  if (!Array.isArray(arrows) || arrows.some((a) => typeof a !== 'string')) throw new Error(`Diagram "${title}": arrows must be a list of text`);
  if (arrows.length > groups.length - 1) throw new Error(`Diagram "${title}": ${arrows.length} arrow labels for ${groups.length} groups; give at most ${groups.length - 1}`);
}
