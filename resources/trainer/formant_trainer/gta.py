"""Ground-truth-aligned (GTA) mels: Tacotron-2 run teacher-forced, i.e. fed the recording's own frames as the decoder's
previous output, so its prediction lines up frame for frame with the real mel.

Two uses. The Tacotron-2 paper trains its vocoder on these, so the vocoder learns the acoustic model's blur. And they
split an intelligibility gap in two (bench:voice): what the model predicts given the right history, against what it
says on its own (attention and its own earlier frames). A voice that is unintelligible even teacher-forced needs a
better acoustic model, not a better attention or vocoder.
"""
from __future__ import annotations

import json
import os
import tempfile

import numpy as np
import torch

from . import checkpoint as ckpt
from .data_utils import DatasetError, MelCache, attach_cleaned_text, attach_phonemes, read_metadata
from .frontend import PHONEMES, phonemes_to_ids, symbol_info, text_to_ids
from .export_onnx import load_model
from .hparams import hparams_from_dict
from .model import Tacotron2

GTA_JSON = "gta.json"


def load_tacotron2(checkpoint_path: str) -> tuple[Tacotron2, object, int]:
    state = ckpt.load(checkpoint_path)
    if state.get("model_name", "tacotron2") != "tacotron2" or "hparams" not in state:
        raise DatasetError(f"{checkpoint_path}: not a Tacotron-2 checkpoint of this trainer")
    frontend = hparams_from_dict(state["hparams"]).text_frontend
    if "symbols" in state and list(state["symbols"]) != symbol_info(frontend).symbols:
        raise DatasetError(f"{checkpoint_path}: trained on another {frontend} symbol table than this trainer's")
    model, hp = load_model(state, "tacotron2")
    return model, hp, int(state.get("step", 0))


def _save_npy(path: str, array: np.ndarray) -> None:
    ckpt.atomic_write_bytes(path, lambda f: np.save(f, array))


@torch.no_grad()
def gta_mels(dataset_dir: str, checkpoint_path: str, out_dir: str, ids: list[str] | None = None, seed: int = 1,
             progress=None, text_csv: str | None = None) -> dict:
    """Writes <out_dir>/<id>.npy (post-net mel [nMels, frames], the recording's frame count, ln-mel of the run's preset)
    for each clip of the dataset (or of `ids`, in that order) and <out_dir>/gta.json: the checkpoint, its step, and per
    clip the mean squared error against the real mel before and after the post-net. The pre-net's dropout stays on,
    as in training and synthesis; masks come from `seed`, reset per clip, so a clip's mel does not depend on the others."""
    model, hp, step = load_tacotron2(checkpoint_path)
    utts = read_metadata(dataset_dir)
    if hp.text_frontend == PHONEMES:
        utts = attach_phonemes(dataset_dir, utts)
    else:
        utts = attach_cleaned_text(dataset_dir, utts, text_csv)  # TypeScript's cleaned transcripts (cleaned.csv)
    if ids is not None:
        by_id = {u.id: u for u in utts}
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise DatasetError(f"{dataset_dir}: no such id(s) in metadata.csv: {', '.join(missing[:5])}")
        utts = [by_id[i] for i in ids]
    os.makedirs(out_dir, exist_ok=True)
    r = hp.n_frames_per_step
    clips = []
    with tempfile.TemporaryDirectory(prefix="formant-gta-") as cache_dir:
        cache = MelCache(cache_dir, hp)  # the training features exactly: preset, trimming, precomputed mels
        for i, u in enumerate(utts):
            symbols = phonemes_to_ids(u.phonemes) if hp.text_frontend == PHONEMES else text_to_ids(u.cleaned)
            mel = cache.mel(u).astype(np.float32)
            frames = mel.shape[1]
            padded = np.full((mel.shape[0], -(-frames // r) * r), float(mel.min()), np.float32)
            padded[:, :frames] = mel
            text = torch.LongTensor([symbols])
            torch.manual_seed(seed)
            before, after, _, _ = model(text, torch.LongTensor([len(symbols)]), torch.from_numpy(padded)[None],
                                        torch.LongTensor([padded.shape[1]]))
            before, after = before[0, :, :frames].numpy(), after[0, :, :frames].numpy()
            _save_npy(os.path.join(out_dir, f"{u.id}.npy"), np.ascontiguousarray(after, dtype=np.float32))
            clips.append({"id": u.id, "frames": int(frames), "mse_before_postnet": float(((before - mel) ** 2).mean()),
                          "mse": float(((after - mel) ** 2).mean())})
            if progress:
                progress(i + 1, len(utts))
    weights = np.array([c["frames"] for c in clips], dtype=np.float64)
    mean = float(np.average([c["mse"] for c in clips], weights=weights)) if clips else None
    summary = {"checkpoint": os.path.abspath(checkpoint_path), "step": step, "mel_preset": hp.mel_preset, "seed": seed,
               "mse": mean, "clips": clips}
    ckpt.atomic_write_bytes(os.path.join(out_dir, GTA_JSON), lambda f: f.write(json.dumps(summary, indent=1).encode()))
    return summary
