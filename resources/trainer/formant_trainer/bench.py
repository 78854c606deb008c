"""`python -m formant_trainer bench`: training speed of the tiny and default configs on real speech
(steps/s, seconds per epoch), timing the real step (forward, losses, backward, clip, Adam) on real batches.
The default config is slow on a CPU (~tens of seconds per step), so it times only a step or two.
On CUDA (`--device cuda`) the step runs as train.py runs it (TF32, AMP when the config asks), timed with
synchronization; `--config default@64` times another batch size."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time

import torch

from .data_utils import (LengthBucketBatchSampler, MelCache, TextMelCollate, TextMelDataset, attach_cleaned_text, attach_phonemes,
                         read_metadata)
from .frontend import PHONEMES, symbol_info
from .hparams import load_hparams
from .model import Tacotron2, Tacotron2Loss
from .train import apply_gradients, forward_loss, make_scaler


def time_config(name: str, dataset: str, steps: int, cache_dir: str, overrides: dict | None = None, device: str = "cpu",
                text_csv: str | None = None) -> dict:
    hp = load_hparams(name, overrides)
    sym = symbol_info(hp.text_frontend)
    hp = hp.replace(n_symbols=len(sym.symbols))
    dev = torch.device(device)
    if dev.type == "cpu":
        torch.set_num_threads(hp.cpu_threads if hp.cpu_threads > 0 else max(1, os.cpu_count() or 1))
    else:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    amp = bool(hp.amp and dev.type == "cuda")
    utts = read_metadata(dataset)
    if hp.text_frontend == PHONEMES:
        attach_phonemes(dataset, utts)
    else:
        attach_cleaned_text(dataset, utts, text_csv)
    data = TextMelDataset(utts, hp, MelCache(cache_dir, hp))
    collate = TextMelCollate(hp.n_frames_per_step, sym.pad_id)
    lengths = data.lengths()
    # Batched as train.py batches (length buckets unless length_bucket_pool = 0) and, as the reference, by plain
    # shuffling: both timed in this process, one step of each in turn on the same model, so drift (warm caches, a
    # busy machine, the model changing as it trains) falls on both alike. Also the share of the decoder's frames
    # that are real speech rather than padding, over one epoch, for each batching.
    shuffled = torch.randperm(len(lengths), generator=torch.Generator().manual_seed(0)).tolist()
    shuffled_batches = [shuffled[i:i + hp.batch_size] for i in range(0, len(shuffled) - hp.batch_size + 1, hp.batch_size)]
    bucketed = hp.length_bucket_pool > 0
    used_batches = list(LengthBucketBatchSampler(lengths, hp.batch_size, hp.length_bucket_pool, seed=0)) if bucketed else shuffled_batches
    plans = {"trainer": used_batches, "shuffled": shuffled_batches} if bucketed else {"trainer": used_batches}
    model, crit = Tacotron2(hp).to(dev), Tacotron2Loss(hp)
    opt = torch.optim.Adam(model.parameters(), lr=hp.learning_rate)
    scaler = make_scaler(amp)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    times: dict[str, list[float]] = {k: [] for k in plans}
    model.train()
    for i in range(steps + 1):  # the first round warms up allocators and is not counted (unless only one is asked)
        for kind, batches in plans.items():
            batch = collate([data[j] for j in batches[i % len(batches)]])
            sync()
            t = time.perf_counter()
            loss, _ = forward_loss("tacotron2", model, crit, batch, dev, amp, 0)  # train.py's step, timed as it runs there
            apply_gradients(loss, model, opt, scaler, hp.grad_clip_thresh)
            sync()
            times[kind].append(time.perf_counter() - t)
        if i == 0 and steps <= 1:
            break
    counted = {k: v[1:] if len(v) > 1 else v for k, v in times.items()}
    per_step = {k: sum(v) / len(v) for k, v in counted.items()}
    s_per_step, timed = per_step["trainer"], counted["trainer"]
    steps_per_epoch = max(1, len(data) // hp.batch_size)
    return {"config": name, "device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu", "amp": amp,
            "parameters": sum(p.numel() for p in model.parameters()), "batch_size": hp.batch_size,
            "r": hp.n_frames_per_step, "threads": torch.get_num_threads(), "clips": len(data),
            "mean_clip_s": round(sum(x[2].size(1) for x in data.items) * 256 / 22050 / max(1, len(data)), 2),
            "batching": "length buckets" if bucketed else "shuffled",
            "seconds_per_step_shuffled": round(per_step["shuffled"], 3) if bucketed else None,
            "speedup_over_shuffled": round(per_step["shuffled"] / s_per_step, 2) if bucketed else None,
            "real_frames": real_frame_share(lengths, used_batches), "real_frames_shuffled": real_frame_share(lengths, shuffled_batches),
            "timed_steps": len(timed), "seconds_per_step": round(s_per_step, 3), "steps_per_s": round(1 / s_per_step, 4),
            "seconds_per_epoch": round(steps_per_epoch * s_per_step, 1), "steps_per_epoch": steps_per_epoch}


def real_frame_share(lengths: list[int], batches: list[list[int]]) -> float:
    """Real frames / frames the decoder runs over (every clip padded to its batch's longest)."""
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    return round(sum(lengths[i] for b in batches for i in b) / max(1, padded), 3)


def main(dataset: str, tiny_steps: int = 10, default_steps: int = 1, device: str = "cpu", configs: list | None = None,
         steps: int = 10, text_csv: str | None = None) -> int:
    """`configs`: entries `name[@batch]` (name = tiny | default | a JSON file), each timed for `steps` steps;
    without it, tiny and default with their own step counts."""
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    plan = [(c.split("@")[0], int(c.split("@")[1]) if "@" in c else None, steps) for c in configs] if configs else \
        [("tiny", None, tiny_steps), ("default", None, default_steps)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="formant-bench-") as cache:
        for name, batch, n in plan:
            if n <= 0:
                continue
            rows.append(time_config(name, dataset, n, cache, {"batch_size": batch} if batch else None, device, text_csv))
            sys.stdout.write(json.dumps({"event": "bench", "dataset": os.path.basename(os.path.normpath(dataset)), "torch": torch.__version__, **rows[-1]}) + "\n")
            sys.stdout.flush()  # each config as soon as it is measured (the default one takes minutes)
    if not configs and len(rows) == 2:
        sys.stdout.write(json.dumps({"event": "bench_ratio", "default_over_tiny_seconds_per_step":
                                     round(rows[1]["seconds_per_step"] / rows[0]["seconds_per_step"], 1)}) + "\n")
    return 0
