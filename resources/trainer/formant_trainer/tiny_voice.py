"""A tiny voice bundle for other areas' tests (synthesis engine, parity specs): the `tiny` config,
untrained (seconds) or briefly trained on a dataset, plus reference.json — PyTorch's outputs of every graph on
fixed inputs, which tests/test_export.py (onnxruntime) and electron/services/training/onnxParity.spec.ts
(onnxruntime-node) compare against. `phonemes=True` (`make-tiny-voice --phonemes`) makes a phoneme-input voice
instead: the phoneme table, voice.json `text.phonemizer`, and reference.json's encoder input spelled in phonemes."""
from __future__ import annotations

import json
import os
import shutil
import tempfile

import numpy as np
import torch

from . import checkpoint as ckpt
from .export_onnx import (DECODER_INPUTS, DECODER_OUTPUTS, DecoderStepGraph, EncoderGraph, FastPitchGraph, PostnetGraph,
                          WaveGlowGraph, export_voice)
from .fastpitch import FastPitch
from .frontend import CHARACTERS, PHONEMES, phonemes_to_ids, symbol_info, text_to_ids
from .hparams import load_hparams
from .model import Tacotron2
from .waveglow import WaveGlow

REFERENCE_TEXT = "Hello world, this is a tiny voice."
# What shared/text's english cleaners make of REFERENCE_TEXT (the trainer only maps symbols to ids); the synthesis
# specs (fastPitch.spec.ts, tinyVoice users) encode REFERENCE_TEXT in TypeScript and must get the ids PyTorch was given.
REFERENCE_CLEANED = "hello world, this is a tiny voice."
# espeak-ng --ipa -v en-us of REFERENCE_TEXT, punctuation kept as shared/text/phonemize.ts keeps it.
REFERENCE_PHONEMES = "həlˈoʊ wˈɜːld, ðɪs ɪz ɐ tˈaɪni vˈɔɪs."


def _untrained_states(seed: int = 1234, frontend: str = CHARACTERS) -> tuple[dict, dict]:
    sym = symbol_info(frontend)
    hp = load_hparams("tiny", {"text_frontend": frontend}).replace(n_symbols=len(sym.symbols))
    torch.manual_seed(seed)
    t2, wg = Tacotron2(hp), WaveGlow(hp)
    common = {"hparams": hp.to_dict(), "symbols": sym.symbols, "pad_id": sym.pad_id, "eos_id": sym.eos_id,
              "text_frontend": frontend, "mel_preset": hp.mel_preset, "dataset": "untrained", "step": 0}
    # BatchNorm running stats of an untrained net are 0/1; perturb them so the parity test exercises them.
    for m in list(t2.modules()):
        if isinstance(m, torch.nn.BatchNorm1d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.8, 1.2)
    for wn in wg.WN:  # WN.end starts at zero (identity flow); give it weights so the WaveGlow graph is exercised
        torch.nn.init.normal_(wn.end.weight, 0.0, 0.02)
    return {**common, "model": t2.state_dict()}, {**common, "model": wg.state_dict()}


def _untrained_fastpitch(seed: int = 1234, frontend: str = CHARACTERS) -> dict:
    """An untrained tiny duration model that still speaks in frames: its duration predictor starts at ~5 frames per
    symbol (an untrained one predicts 0 and the mel would be empty) and its statistics are an adult voice's."""
    sym = symbol_info(frontend)
    hp = load_hparams("tiny", {"text_frontend": frontend, "fp_pitch_mean": 5.3, "fp_pitch_std": 0.2, "fp_energy_mean": -5.0,
                               "fp_energy_std": 1.5}).replace(n_symbols=len(sym.symbols))
    torch.manual_seed(seed)
    fp = FastPitch(hp)
    torch.nn.init.constant_(fp.duration_predictor.proj.bias, float(np.log(6.0)))
    return {"hparams": hp.to_dict(), "symbols": sym.symbols, "pad_id": sym.pad_id, "eos_id": sym.eos_id, "text_frontend": frontend,
            "mel_preset": hp.mel_preset, "dataset": "untrained", "step": 0, "model": fp.state_dict()}


def _tensors(d: dict) -> dict:
    return {k: {"dims": list(v.shape), "type": "int64" if v.dtype == torch.int64 else "float32",
                "data": v.reshape(-1).tolist()} for k, v in d.items()}


def _reference_ids(frontend: str) -> torch.Tensor:
    return torch.LongTensor([phonemes_to_ids(REFERENCE_PHONEMES) if frontend == PHONEMES else text_to_ids(REFERENCE_CLEANED)])


@torch.no_grad()
def fastpitch_reference(fp: FastPitch) -> dict:
    """reference.json of a duration-model voice: the graph at pace 1.25 and +2 semitones, PyTorch's mel and durations."""
    fp.eval()
    text, pace, shift = _reference_ids(fp.hp.text_frontend), torch.tensor([1.25]), torch.tensor([2.0])
    mel, durations = FastPitchGraph(fp)(text, pace, shift)
    return {"text": REFERENCE_TEXT, **({"phonemes": REFERENCE_PHONEMES} if fp.hp.text_frontend == PHONEMES else {}),
            "fastpitch": {"inputs": _tensors({"text": text, "pace": pace, "pitch_shift": shift}),
                          "outputs": _tensors({"mel": mel, "durations": durations})}}


@torch.no_grad()
def reference_data(voice_dir: str, t2: Tacotron2, wg: WaveGlow | None, seed: int = 7) -> dict:
    """Fixed inputs → PyTorch outputs for each graph (graph I/O names as keys)."""
    g = torch.Generator().manual_seed(seed)
    t2.eval()
    hp = t2.hp
    phonemes = hp.text_frontend == PHONEMES
    text = torch.LongTensor([phonemes_to_ids(REFERENCE_PHONEMES) if phonemes else text_to_ids(REFERENCE_CLEANED)])
    memory, processed = EncoderGraph(t2)(text)
    ref = {"text": REFERENCE_TEXT, **({"phonemes": REFERENCE_PHONEMES} if phonemes else {}), "encoder": {"inputs": _tensors({"text": text}),
                                               "outputs": _tensors({"memory": memory, "processed_memory": processed})}}
    # Decoder: run 3 steps so the state is not trivial, record the third step's I/O.
    step_graph = DecoderStepGraph(t2)
    scale = 1.0 / (1.0 - hp.p_prenet_dropout)
    t = text.size(1)
    state = [torch.zeros(1, hp.n_mel_channels), torch.zeros(1, hp.attention_rnn_dim), torch.zeros(1, hp.attention_rnn_dim),
             torch.zeros(1, hp.decoder_rnn_dim), torch.zeros(1, hp.decoder_rnn_dim), torch.zeros(1, t), torch.zeros(1, t),
             torch.zeros(1, hp.encoder_embedding_dim)]
    for _ in range(3):
        masks = [(torch.rand(1, hp.prenet_dim, generator=g) >= hp.p_prenet_dropout).float() * scale for _ in range(2)]
        inputs = [*state, memory, processed, *masks]
        outs = step_graph(*inputs)
        state = [outs[2], *outs[3:]]
    ref["decoder_step"] = {"inputs": _tensors(dict(zip(DECODER_INPUTS, inputs))), "outputs": _tensors(dict(zip(DECODER_OUTPUTS, outs)))}
    mel = torch.randn(1, hp.n_mel_channels, 17, generator=g) - 5.0
    ref["postnet"] = {"inputs": _tensors({"mel": mel}), "outputs": _tensors({"mel_postnet": PostnetGraph(t2)(mel)})}
    if wg is not None:
        wg.eval()
        f = 6
        z = torch.randn(1, wg.n_group, f * wg.hop_length // wg.n_group, generator=g)
        sigma = torch.tensor([0.6])
        wmel = torch.randn(1, hp.n_mel_channels, f, generator=g) - 5.0
        ref["waveglow"] = {"inputs": _tensors({"mel": wmel, "z": z, "sigma": sigma}),
                           "outputs": _tensors({"audio": WaveGlowGraph(wg)(wmel, z, sigma)})}
    return ref


def make_tiny_voice(out_dir: str, dataset: str | None = None, steps: int = 0, reference: bool = True, text_csv: str | None = None,
                    phonemes: bool = False, model: str = "tacotron2") -> dict:
    """phonemes=True: a phoneme-input voice (a --dataset then needs phonemes.csv, from `formant phonemize`).
    model="fastpitch": a duration-model voice (fastpitch.onnx) instead of Tacotron-2's three graphs."""
    frontend = PHONEMES if phonemes else CHARACTERS
    tmp = tempfile.mkdtemp(prefix="formant-tiny-")
    try:
        if model == "fastpitch":
            return _make_tiny_fastpitch(out_dir, tmp, dataset, steps, reference, frontend, text_csv)
        if dataset and steps > 0:
            from .train import train
            train(dataset, tmp, config="tiny", steps=steps, overrides={"text_frontend": frontend}, text_csv=text_csv)
            tstate, _ = ckpt.latest_loadable(tmp, "tacotron2")
            _, wstate = _untrained_states(frontend=frontend)
        else:
            tstate, wstate = _untrained_states(frontend=frontend)
        tpath, wpath = os.path.join(tmp, "t2.pt"), os.path.join(tmp, "wg.pt")
        ckpt.save_checkpoint(tpath, tstate)
        ckpt.save_checkpoint(wpath, wstate)
        result = export_voice(None, out_dir, name="tiny-phonemes" if phonemes else "tiny", tacotron2_ckpt=tpath, waveglow_ckpt=wpath)
        if reference:
            from .export_onnx import load_model
            t2, _ = load_model(tstate, "tacotron2")
            wg, _ = load_model(wstate, "waveglow")
            ref = reference_data(out_dir, t2, wg)
            ckpt.atomic_write_bytes(os.path.join(out_dir, "reference.json"), lambda f: f.write(json.dumps(ref).encode()))
        return {"voice_dir": os.path.abspath(out_dir), "steps": int(tstate.get("step", 0)), "text_frontend": frontend,
                "reference": os.path.join(os.path.abspath(out_dir), "reference.json") if reference else None}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _make_tiny_fastpitch(out_dir: str, tmp: str, dataset: str | None, steps: int, reference: bool, frontend: str,
                         text_csv: str | None = None) -> dict:
    if dataset and steps > 0:
        from .train import train
        train(dataset, tmp, config="tiny", steps=steps, model_name="fastpitch", overrides={"text_frontend": frontend},
              text_csv=text_csv)
        state, _ = ckpt.latest_loadable(tmp, "fastpitch")
    else:
        state = _untrained_fastpitch(frontend=frontend)
    path = os.path.join(tmp, "fp.pt")
    ckpt.save_checkpoint(path, state)
    name = "tiny-fastpitch" + ("-phonemes" if frontend == PHONEMES else "")
    export_voice(None, out_dir, name=name, fastpitch_ckpt=path)
    if reference:
        from .export_onnx import load_model
        fp, _ = load_model(state, "fastpitch")
        ref = fastpitch_reference(fp)
        ckpt.atomic_write_bytes(os.path.join(out_dir, "reference.json"), lambda f: f.write(json.dumps(ref).encode()))
    return {"voice_dir": os.path.abspath(out_dir), "steps": int(state.get("step", 0)), "text_frontend": frontend,
            "model": "fastpitch", "reference": os.path.join(os.path.abspath(out_dir), "reference.json") if reference else None}


def run_reference_onnx(voice_dir: str) -> dict:
    """Runs reference.json's inputs through the bundle's graphs in onnxruntime → {graph: (max abs diff, output name)}."""
    import onnxruntime as ort
    with open(os.path.join(voice_dir, "reference.json"), encoding="utf-8") as f:
        ref = json.load(f)
    files = {"encoder": "encoder.onnx", "decoder_step": "decoder_step.onnx", "postnet": "postnet.onnx", "waveglow": "waveglow.onnx",
             "fastpitch": "fastpitch.onnx"}
    diffs = {}
    for graph, fname in files.items():
        if graph not in ref:
            continue
        sess = ort.InferenceSession(os.path.join(voice_dir, fname), providers=["CPUExecutionProvider"])
        feeds = {k: np.asarray(v["data"], dtype=np.int64 if v["type"] == "int64" else np.float32).reshape(v["dims"])
                 for k, v in ref[graph]["inputs"].items()}
        names = list(ref[graph]["outputs"])
        outs = sess.run(names, feeds)
        for n, o in zip(names, outs):
            exp = np.asarray(ref[graph]["outputs"][n]["data"], dtype=o.dtype).reshape(ref[graph]["outputs"][n]["dims"])
            assert o.shape == exp.shape, f"{graph}.{n}: shape {o.shape} != {exp.shape}"
            diffs[f"{graph}.{n}"] = float(np.max(np.abs(o - exp))) if o.size else 0.0
    return diffs
