import { pathExists as exists } from '../fileUtils';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { ServiceError } from '../../../shared/contract/rpc';
import { acousticModelOf, DECODER_STATE_NAMES, VOICE_FILE, VoiceManifest } from '../../../shared/contract/voice';

/**
 * A voice bundle on disk (`<dir>/voice.json` + ONNX graphs, see shared/contract/voice.ts):
 * load and validate the manifest, check that every graph file exists and, once a graph is loaded,
 * that its inputs and outputs are the ones the engine feeds and reads, with compatible shapes.
 */
export interface VoiceBundle {
  dir: string;
  manifest: VoiceManifest;
  /** Absolute graph paths; null for the roles this voice's model does not have. */
  graphs: Record<GraphRole, string | null>;
}

/** encoder/decoderStep/postnet: a Tacotron-2 voice; fastpitch: a duration voice; waveglow: either, optional. */
export type GraphRole = 'encoder' | 'decoderStep' | 'postnet' | 'fastpitch' | 'waveglow';

export async function loadVoiceBundle(dir: string): Promise<VoiceBundle> {
  const abs = path.resolve(dir);
  const file = path.join(abs, VOICE_FILE);
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? ((await exists(abs)) ? `has no ${VOICE_FILE}` : 'does not exist') : `cannot be read (${code})`;
    throw new ServiceError('voice-not-found', `voice folder ${abs} ${what}; export a voice with \`formant export-voice\``);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new ServiceError('voice-invalid', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = VoiceManifest.safeParse(json);
  if (!parsed.success) throw new ServiceError('voice-invalid', `${file} is not a valid voice manifest:\n${z.prettifyError(parsed.error)}`);
  const manifest = parsed.data;
  checkManifestConsistency(manifest, file);

  const t = manifest.tacotron2;
  const fp = manifest.fastpitch;
  const graphs: Record<GraphRole, string | null> = {
    encoder: t ? path.join(abs, t.encoder) : null,
    decoderStep: t ? path.join(abs, t.decoderStep) : null,
    postnet: t ? path.join(abs, t.postnet) : null,
    fastpitch: fp ? path.join(abs, fp.graph) : null,
    waveglow: manifest.waveglow ? path.join(abs, manifest.waveglow.graph) : null,
  };
  for (const [role, p] of Object.entries(graphs)) {
    if (p && !(await exists(p))) {
      throw new ServiceError(
        'voice-graph-missing',
        `voice "${manifest.name}" (${abs}) is missing its ${role} graph ${path.basename(p)}; re-export the voice with \`formant export-voice\``,
        { role, path: p },
      );
    }
  }
  return { dir: abs, manifest, graphs };
}

/** Cross-field checks the schema cannot express. */
function checkManifestConsistency(m: VoiceManifest, file: string): void {
  const problems: string[] = [];
  const preset = m.melPreset as Record<string, unknown>;
  const model = acousticModelOf(m);
  if (typeof preset.nMels === 'number' && preset.nMels !== model.nMels) problems.push(`melPreset.nMels ${preset.nMels} ≠ ${model.kind}.nMels ${model.nMels}`);
  if (typeof preset.sampleRate === 'number' && preset.sampleRate !== m.sampleRate) problems.push(`melPreset.sampleRate ${preset.sampleRate} ≠ sampleRate ${m.sampleRate}`);
  if (m.text.padId >= m.text.symbols.length) problems.push(`text.padId ${m.text.padId} is outside the ${m.text.symbols.length} symbols`);
  if (m.text.eosId != null && m.text.eosId >= m.text.symbols.length) problems.push(`text.eosId ${m.text.eosId} is outside the ${m.text.symbols.length} symbols`);
  if (m.waveglow && typeof preset.hopLength === 'number' && m.waveglow.hopLength !== preset.hopLength) {
    problems.push(`waveglow.hopLength ${m.waveglow.hopLength} ≠ melPreset.hopLength ${preset.hopLength}`);
  }
  if (problems.length) throw new ServiceError('voice-invalid', `${file} is inconsistent: ${problems.join('; ')}`);
}

// ---- graph I/O ----

/** An expected tensor: element type and dims (a number = fixed size, a string = dynamic axis). */
export interface TensorSpec {
  type: 'float32' | 'int64';
  dims: (number | string)[];
}
export interface GraphSpec {
  inputs: Record<string, TensorSpec>;
  outputs: Record<string, TensorSpec>;
}

export function expectedGraphIO(m: VoiceManifest, role: GraphRole): GraphSpec {
  const f = (...dims: (number | string)[]): TensorSpec => ({ type: 'float32', dims });
  const model = acousticModelOf(m);
  if (role === 'waveglow') {
    if (!m.waveglow) throw new ServiceError('no-waveglow', `voice "${m.name}" has no WaveGlow vocoder`);
    return { inputs: { mel: f(1, model.nMels, 'F'), z: f(1, 'G', 'S'), sigma: f(1) }, outputs: { audio: f(1, 'N') } };
  }
  if (role === 'fastpitch') {
    if (model.kind !== 'fastpitch') throw new ServiceError('voice-invalid', `voice "${m.name}" is a Tacotron-2 voice; it has no fastpitch graph`);
    return {
      inputs: { text: { type: 'int64', dims: [1, 'N'] }, pace: f(1), pitch_shift: f(1) },
      outputs: { mel: f(1, model.nMels, 'F'), durations: { type: 'int64', dims: [1, 'N'] } },
    };
  }
  if (model.kind !== 'tacotron2') throw new ServiceError('voice-invalid', `voice "${m.name}" is a duration voice; it has no ${role} graph`);
  const t = model.tacotron2;
  switch (role) {
    case 'encoder':
      return {
        inputs: { text: { type: 'int64', dims: [1, 'T'] } },
        outputs: { memory: f(1, 'T', t.encoderEmbeddingDim), processed_memory: f(1, 'T', t.attentionDim) },
      };
    case 'decoderStep': {
      const state: Record<(typeof DECODER_STATE_NAMES)[number], TensorSpec> = {
        decoder_input: f(1, t.nMels),
        attention_hidden: f(1, t.attentionRnnDim),
        attention_cell: f(1, t.attentionRnnDim),
        decoder_hidden: f(1, t.decoderRnnDim),
        decoder_cell: f(1, t.decoderRnnDim),
        attention_weights: f(1, 'T'),
        attention_weights_cum: f(1, 'T'),
        attention_context: f(1, t.encoderEmbeddingDim),
      };
      const outputs: Record<string, TensorSpec> = { mel_frames: f(1, t.reductionFactor, t.nMels), gate_logit: f(1, 1) };
      for (const [k, v] of Object.entries(state)) outputs[`${k}_out`] = v;
      return {
        inputs: {
          ...state,
          memory: f(1, 'T', t.encoderEmbeddingDim),
          processed_memory: f(1, 'T', t.attentionDim),
          prenet_mask1: f(1, t.prenetDim),
          prenet_mask2: f(1, t.prenetDim),
        },
        outputs,
      };
    }
    case 'postnet':
      return { inputs: { mel: f(1, t.nMels, 'F') }, outputs: { mel_postnet: f(1, t.nMels, 'F') } };
  }
}

/** The subset of an InferenceSession this check reads (so tests can pass plain objects). */
export interface SessionIO {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata?: readonly ort.InferenceSession.ValueMetadata[];
  outputMetadata?: readonly ort.InferenceSession.ValueMetadata[];
}

/** Throws a 'voice-graph-mismatch' error listing every difference between the graph and the spec. */
export function checkGraphIO(label: string, session: SessionIO, spec: GraphSpec): void {
  const problems: string[] = [];
  const compare = (kind: 'input' | 'output', names: readonly string[], meta: readonly ort.InferenceSession.ValueMetadata[] | undefined, want: Record<string, TensorSpec>) => {
    for (const name of Object.keys(want)) if (!names.includes(name)) problems.push(`missing ${kind} "${name}"`);
    if (kind === 'input') for (const name of names) if (!(name in want)) problems.push(`unexpected input "${name}" (the engine would not feed it)`);
    for (const md of meta ?? []) {
      const w = want[md.name];
      if (!w) continue;
      if (!md.isTensor) {
        problems.push(`${kind} "${md.name}" is not a tensor`);
        continue;
      }
      if (md.type !== w.type) problems.push(`${kind} "${md.name}" is ${md.type}, expected ${w.type}`);
      const shape = md.shape ?? [];
      if (!shape.length) continue; // shape not recorded in the graph: nothing to compare
      if (shape.length !== w.dims.length) {
        problems.push(`${kind} "${md.name}" has shape [${shape.join(',')}], expected rank ${w.dims.length} [${w.dims.join(',')}]`);
        continue;
      }
      w.dims.forEach((d, i) => {
        const got = shape[i];
        if (typeof d === 'number' && typeof got === 'number' && got > 0 && got !== d) {
          problems.push(`${kind} "${md.name}" has shape [${shape.join(',')}], expected [${w.dims.join(',')}] (axis ${i}: ${got} ≠ ${d})`);
        }
      });
    }
  };
  compare('input', session.inputNames, session.inputMetadata, spec.inputs);
  compare('output', session.outputNames, session.outputMetadata, spec.outputs);
  if (problems.length) {
    throw new ServiceError('voice-graph-mismatch', `${label} does not match the voice bundle format: ${problems.join('; ')}`, { problems });
  }
}

/**
 * A vocoder only understands mels made exactly like its training data: refuse a pairing whose
 * presets differ, naming the fields that differ.
 */
export function checkPresetCompatibility(acoustic: { name: string; melPreset: Record<string, unknown> }, vocoder: { name: string; melPreset: Record<string, unknown> }): void {
  const diffs = diffObjects(acoustic.melPreset, vocoder.melPreset, '').filter((d) => !/^(description)\b/.test(d.path));
  if (!diffs.length) return;
  const list = diffs
    .slice(0, 6)
    .map((d) => `${d.path}: ${JSON.stringify(d.a)} vs ${JSON.stringify(d.b)}`)
    .join(', ');
  throw new ServiceError(
    'vocoder-preset-mismatch',
    `the vocoder of "${vocoder.name}" was trained on mel preset "${String(vocoder.melPreset.name)}" but the acoustic model of "${acoustic.name}" predicts mel preset "${String(acoustic.melPreset.name)}" (${list}${diffs.length > 6 ? ', …' : ''}); use Griffin-Lim or a vocoder trained on the same preset`,
    { differences: diffs },
  );
}

function diffObjects(a: unknown, b: unknown, prefix: string): { path: string; a: unknown; b: unknown }[] {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diffObjects((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: prefix || '(preset)', a, b }];
}

