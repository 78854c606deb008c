// `npx tsx electron/services/record/buildPromptPhonemes.ts`: rewrites resources/prompts/en-public-domain.ipa.json
// (espeak-ng phonemes of the built-in prompts) after the prompt file was edited.
import { writePromptSidecar } from './nextPrompts';

console.log(`wrote ${await writePromptSidecar()}`);
