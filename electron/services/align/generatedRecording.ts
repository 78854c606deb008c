import { synthesizeTexts, ESPEAK_SAMPLE_RATE } from './espeakSynth';
import { joinUtterances, type JoinedRecording } from './joinedRecording';

/**
 * A long recording that can be built anywhere (no data files): each sentence spoken by a
 * different espeak-ng voice than the aligner's own (British accent, female variant, slower),
 * joined with random pauses and low noise.
 */
export const GENERATED_SENTENCES = [
  'The old lighthouse stood at the end of a narrow spit of land.',
  'Every evening the keeper climbed two hundred steps to light the lamp.',
  'Ships passing in the night relied on its steady beam, turning once every ten seconds.',
  'In winter, storms would batter the windows for days on end.',
  'The keeper kept a journal of every vessel that passed.',
  'Some entries were brief; others ran for several pages.',
  'One night in March, a small fishing boat lost its way in the fog.',
  'The keeper rang the bell until his arms ached.',
  'By morning the boat had found its way safely into the harbour.',
  'The fishermen brought him a basket of fresh mackerel as thanks.',
  'He wrote about it that evening, by the light of a single candle.',
  'Years later, his journal was found in an attic and read aloud in the village hall.',
];

export async function generatedRecording(sentences = GENERATED_SENTENCES, seed = 5): Promise<JoinedRecording> {
  const audio = await synthesizeTexts(sentences, { voice: 'en-gb+f3', wordsPerMinute: 145 });
  return joinUtterances(
    sentences.map((text, i) => ({ id: `s${i + 1}`, text, samples: audio[i]! })),
    ESPEAK_SAMPLE_RATE,
    { seed },
  );
}
