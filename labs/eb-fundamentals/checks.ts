// Custom check for eb-fundamentals: answers.txt names the version the environment actually runs,
// which no built-in kind covers (the expected text is only known once the learner has deployed).
import { defineChecks, fileEvidence, readWorkspaceText, requireEnvironment } from '../../src/checks/index.ts';

export default defineChecks({
  'answer-names-deployed-version': async (params, ctx) => {
    const file = String(params.file ?? 'answers.txt');
    const environment = String(params.environment);
    const expected = `${file} names the version ${environment} runs (the Deployed Version in eb status).`;
    const text = await readWorkspaceText(ctx, file);
    const match = text ? /^\s*version:[ \t]*(\S*)/m.exec(text) : null;
    const answer = match?.[1] ?? '';
    if (!text || !answer) {
      return { pass: false, expected, found: text ? `${file} has no label after "version:" yet.` : `There is no ${file}.`, reason: 'no-answer', hintLevel: 'nudge' };
    }
    const evidence = [fileEvidence(file, text, match!.index)];
    const env = await requireEnvironment(ctx, environment, expected);
    const running = env.VersionLabel ?? '';
    if (answer === running) return { pass: true, expected, found: `${file} says ${answer}, and ${environment} runs ${running}.`, evidence };
    return {
      pass: false,
      expected,
      found: running ? `${file} says ${answer}, but ${environment} runs ${running}.` : `${file} says ${answer}, but ${environment} runs the sample application (no version label).`,
      reason: 'wrong-version',
      hintLevel: 'concept',
      evidence,
    };
  },
});
