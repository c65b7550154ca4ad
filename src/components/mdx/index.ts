// The components chapter authors use in MDX without importing them (passed to <Content components>).
import Callout from './Callout.astro';
import Dialogue from './Dialogue.astro';
import Diagram from './Diagram.astro';
import Line from './Line.astro';
import Quiz from './Quiz.astro';
import Terminal from './Terminal.astro';

export const mdxComponents = { Callout, Dialogue, Diagram, Line, Quiz, Terminal };
