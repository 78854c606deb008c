"""All hyper-parameters in one place (NVIDIA/tacotron2 style, flat names), with named presets.

`default` is Tacotron-2 exactly as the seed and NVIDIA/tacotron2 describe it (and WaveGlow's published
configuration); `tiny` keeps the same architecture with small sizes so CPU tests and CI run in seconds.
A JSON file may override any field: {"base": "tiny", "n_frames_per_step": 2, ...}.
"""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field, fields


@dataclass
class HParams:
    # ---- audio / features (the mel presets live in shared/dsp/melPresets.json, read by melPresets.ts and audio.py) ----
    mel_preset: str = "nvidia"
    trim_silence: bool = True  # trim leading/trailing silence at feature time (the export keeps 0.5 s pads)
    trim_top_db: float = 40.0  # frames quieter than peak − this count as silence
    trim_keep_seconds: float = 0.05  # margin kept on each side of speech after trimming
    max_wav_seconds: float = 12.0  # longer clips are skipped (memory; attention learns on short clips first)

    # ---- text (the symbol tables of shared/text, read by symbols.py; the text itself arrives cleaned, from TypeScript) ----
    # "characters": cleaned.csv (metadata.csv transcripts through shared/text's english cleaners) and shared/text/symbols.json.
    # "phonemes": phonemes.csv next to metadata.csv (`formant phonemize <dataset>`: espeak-ng IPA, one symbol per
    # codepoint, no cleaners) and shared/text/phonemeSymbols.json: far more intelligible on little data (rhasspy/piper).
    text_frontend: str = "characters"
    n_symbols: int = 0  # 0 = take from the symbol table

    # ---- Tacotron-2 ----
    symbols_embedding_dim: int = 512
    encoder_kernel_size: int = 5
    encoder_n_convolutions: int = 3
    encoder_embedding_dim: int = 512
    n_frames_per_step: int = 1  # reduction factor r
    decoder_rnn_dim: int = 1024
    prenet_dim: int = 256
    p_prenet_dropout: float = 0.5  # kept on at inference, as in the paper
    max_decoder_steps: int = 1000
    max_decoder_steps_per_symbol: float = 10.0
    gate_threshold: float = 0.5
    p_attention_dropout: float = 0.1
    p_decoder_dropout: float = 0.1
    attention_rnn_dim: int = 1024
    attention_dim: int = 128
    attention_location_n_filters: int = 32
    attention_location_kernel_size: int = 31
    postnet_embedding_dim: int = 512
    postnet_kernel_size: int = 5
    postnet_n_convolutions: int = 5
    n_mel_channels: int = 80

    # ---- Tacotron-2 training ----
    learning_rate: float = 1e-3
    weight_decay: float = 1e-6
    grad_clip_thresh: float = 1.0
    batch_size: int = 8
    # Batches are cut from pools of this many batches sorted by length, so a batch holds clips of similar length
    # and the decoder runs fewer padded steps (~1.4x fewer on lj-train at batch 16); 0 = plain shuffling.
    length_bucket_pool: int = 8
    mask_padding: bool = True
    guided_attention: bool = True  # diagonal prior loss (Tachibana et al. 2017): faster alignment
    guided_attention_sigma: float = 0.2
    guided_attention_weight: float = 1.0
    guided_attention_decay_steps: int = 5000  # weight falls linearly to 0 over this many steps (0 = constant)
    gate_pos_weight: float = 1.0
    # "mse": NVIDIA's loss. "l1+mse": L1 added to it, as ESPnet's Tacotron-2 does: L1's median is less blurred than
    # MSE's mean where the next frame is uncertain (validation always logs the MSE part too, to compare runs).
    mel_loss: str = "mse"

    # ---- FastPitch (the duration model: fastpitch.py; convolutional, alignment learned with mas.py) ----
    fp_channels: int = 192
    fp_kernel: int = 5
    fp_encoder_dilations: list = field(default_factory=lambda: [1, 2, 4, 1, 2, 4])
    fp_decoder_dilations: list = field(default_factory=lambda: [1, 2, 4, 8, 1, 2, 4, 8])
    fp_conv: str = "separable"  # decoder convolutions: "separable" (depthwise + pointwise, LightSpeech) | "full"
    fp_dropout: float = 0.1  # encoder
    fp_decoder_dropout: float = 0.1
    fp_predictor_filters: int = 192
    fp_predictor_dropout: float = 0.1
    fp_mel_loss: str = "l1"  # "l1" (FastSpeech 2) | "mse" (FastPitch)
    fp_duration_weight: float = 0.1
    fp_pitch_weight: float = 0.1
    fp_energy_weight: float = 0.1
    fp_attn_weight: float = 1.0
    fp_bin_weight: float = 1.0
    fp_bin_loss_start: int = 1000  # the hard alignment is trusted once the soft one has formed (FastPitch 1.1)
    fp_bin_loss_warmup: int = 1000
    fp_prior_scaling: float = 1.0
    fp_learning_rate: float = 1e-3
    fp_warmup_steps: int = 1000  # linear learning-rate warm-up, then 1/sqrt(step) decay (Transformer/FastPitch)
    fp_batch_size: int = 16
    # dataset statistics, measured on the training set at the first start and kept with the run (0 = measure)
    fp_pitch_mean: float = 0.0  # ln Hz
    fp_pitch_std: float = 0.0
    fp_energy_mean: float = 0.0  # mean ln-mel level per frame
    fp_energy_std: float = 0.0
    fp_max_pace: float = 3.0  # pace accepted at inference: 1/fp_max_pace .. fp_max_pace
    fp_max_pitch_shift: float = 12.0  # semitones either way

    # ---- WaveGlow (NVIDIA's published configuration) ----
    wg_n_flows: int = 12
    wg_n_group: int = 8
    wg_n_early_every: int = 4
    wg_n_early_size: int = 2
    wg_n_layers: int = 8
    wg_n_channels: int = 256
    wg_kernel_size: int = 3
    wg_sigma_train: float = 1.0
    wg_sigma_infer: float = 0.6
    wg_segment_length: int = 16000
    wg_learning_rate: float = 1e-4
    wg_batch_size: int = 12

    # ---- run ----
    steps: int = 100000
    checkpoint_every: int = 1000
    validate_every: int = 1000
    log_every: int = 1
    n_val: int = 4  # utterances held out for validation
    keep_checkpoints: int = 3
    seed: int = 1234
    num_workers: int = 0
    cpu_threads: int = 0  # torch threads on CPU; 0 = torch's default. Small models run far faster on 1 (less sync)
    amp: bool = True  # mixed precision, only where CUDA is available

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def replace(self, **kw) -> "HParams":
        return dataclasses.replace(self, **kw)

    @property
    def hop_length(self) -> int:
        from .audio import get_preset
        return int(get_preset(self.mel_preset)["hopLength"])

    @property
    def sampling_rate(self) -> int:
        from .audio import get_preset
        return int(get_preset(self.mel_preset)["sampleRate"])


TINY_OVERRIDES = dict(
    symbols_embedding_dim=64,
    encoder_embedding_dim=64,
    encoder_kernel_size=5,
    encoder_n_convolutions=3,
    n_frames_per_step=3,
    decoder_rnn_dim=96,
    prenet_dim=48,
    attention_rnn_dim=96,
    attention_dim=32,
    attention_location_n_filters=8,
    attention_location_kernel_size=15,
    postnet_embedding_dim=64,
    postnet_n_convolutions=5,
    learning_rate=2e-3,
    batch_size=4,
    guided_attention_decay_steps=2000,
    checkpoint_every=50,
    validate_every=100,
    n_val=2,
    max_wav_seconds=6.0,
    wg_n_flows=4,
    wg_n_early_every=2,
    wg_n_layers=2,
    wg_n_channels=16,
    wg_segment_length=4096,
    wg_batch_size=2,
    wg_learning_rate=5e-4,
    fp_channels=32,
    fp_predictor_filters=32,
    fp_encoder_dilations=[1, 2],
    fp_decoder_dilations=[1, 2, 4],
    fp_batch_size=4,
    fp_warmup_steps=50,
    fp_bin_loss_start=50,
    fp_bin_loss_warmup=50,
    steps=300,
    cpu_threads=1,
)

PRESETS = {"default": {}, "tiny": TINY_OVERRIDES}
TEXT_FRONTENDS = ("characters", "phonemes")
MEL_LOSSES = ("mse", "l1+mse")
FP_MEL_LOSSES = ("l1", "mse")
FP_CONVS = ("separable", "full")


POSITIVE = ("steps", "batch_size", "fp_batch_size", "wg_batch_size", "checkpoint_every", "validate_every", "log_every")


def _checked_value(name: str, value, default, source: str):
    """`value` in the type of the field's default (an int is a float where a float is expected), else a ValueError
    that names the field, the value and what was expected."""
    expected = type(default)
    if expected is bool:
        ok = isinstance(value, bool)
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif expected is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    else:
        ok = isinstance(value, expected)
    if not ok:
        kind = {bool: "true or false", int: "a whole number", float: "a number", str: "text", list: "a list, e.g. [1, 2]"}.get(expected, expected.__name__)
        raise ValueError(f"{source}: {name}={value!r}: expected {kind}")
    if name in POSITIVE and value <= 0:
        raise ValueError(f"{source}: {name}={value!r}: expected a number above 0")
    return value


def _apply(base: HParams, overrides: dict, source: str) -> HParams:
    known = {f.name for f in fields(HParams)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"{source}: unknown hyper-parameter(s): {', '.join(unknown)} (see formant_trainer/hparams.py)")
    defaults = HParams()
    overrides = {k: _checked_value(k, v, getattr(defaults, k), source) for k, v in overrides.items()}
    if "text_frontend" in overrides and overrides["text_frontend"] not in TEXT_FRONTENDS:
        raise ValueError(f"{source}: text_frontend={overrides['text_frontend']!r}: expected one of {', '.join(TEXT_FRONTENDS)}")
    if "mel_loss" in overrides and overrides["mel_loss"] not in MEL_LOSSES:
        raise ValueError(f"{source}: mel_loss={overrides['mel_loss']!r}: expected one of {', '.join(MEL_LOSSES)}")
    if "fp_mel_loss" in overrides and overrides["fp_mel_loss"] not in FP_MEL_LOSSES:
        raise ValueError(f"{source}: fp_mel_loss={overrides['fp_mel_loss']!r}: expected one of {', '.join(FP_MEL_LOSSES)}")
    if "fp_conv" in overrides and overrides["fp_conv"] not in FP_CONVS:
        raise ValueError(f"{source}: fp_conv={overrides['fp_conv']!r}: expected one of {', '.join(FP_CONVS)}")
    return dataclasses.replace(base, **overrides)


def apply_overrides(hp: HParams, overrides: dict | None, source: str = "--set") -> HParams:
    """`--set name=value` pairs on top of `hp` (a preset, a config file or a resumed run's own), checked alike."""
    return _apply(hp, overrides, source) if overrides else hp


def load_hparams(config: str | None = "default", overrides: dict | None = None) -> HParams:
    """`config` is a preset name (tiny|default) or a JSON file path ({"base": preset, field: value…})."""
    config = config or "default"
    if config in PRESETS:
        hp = _apply(HParams(), PRESETS[config], config)
    elif os.path.isfile(config):
        with open(config, encoding="utf-8") as f:
            data = json.load(f)
        if not isinstance(data, dict):
            raise ValueError(f"{config}: expected a JSON object of hyper-parameters")
        base = data.pop("base", "default")
        if base not in PRESETS:
            raise ValueError(f"{config}: unknown base preset {base!r} (tiny|default)")
        hp = _apply(_apply(HParams(), PRESETS[base], base), data, config)
    else:
        raise ValueError(f"--config {config!r}: not a preset (tiny|default) nor a JSON file")
    return apply_overrides(hp, overrides)


def hparams_from_dict(d: dict) -> HParams:
    known = {f.name for f in fields(HParams)}
    return HParams(**{k: v for k, v in d.items() if k in known})
