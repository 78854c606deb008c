"""`python -m formant_trainer bench`: training speed of the tiny and default configs on real speech
(steps/s, seconds per epoch), timing the real step (forward, losses, backward, clip, Adam) on real batches.
The default config is slow on a CPU (~tens of seconds per step), so it times only a step or two."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time

import torch
from torch.utils.data import DataLoader

from .data_utils import MelCache, TextMelCollate, TextMelDataset, read_metadata
from .frontend import symbol_info
from .hparams import load_hparams
from .model import Tacotron2, Tacotron2Loss


def time_config(name: str, dataset: str, steps: int, cache_dir: str, overrides: dict | None = None) -> dict:
    sym = symbol_info()
    hp = load_hparams(name, overrides).replace(n_symbols=len(sym.symbols))
    torch.set_num_threads(hp.cpu_threads if hp.cpu_threads > 0 else max(1, os.cpu_count() or 1))
    utts = read_metadata(dataset)
    data = TextMelDataset(utts, hp, MelCache(cache_dir, hp))
    loader = DataLoader(data, batch_size=hp.batch_size, shuffle=True, collate_fn=TextMelCollate(hp.n_frames_per_step, sym.pad_id),
                        generator=torch.Generator().manual_seed(0))
    model, crit = Tacotron2(hp), Tacotron2Loss(hp)
    opt = torch.optim.Adam(model.parameters(), lr=hp.learning_rate)
    times, frames = [], 0
    it = iter(loader)
    for i in range(steps + 1):  # the first step warms up allocators and is not counted (unless only one is asked)
        try:
            _, text, tl, mels, ml, gate = next(it)
        except StopIteration:
            it = iter(loader)
            _, text, tl, mels, ml, gate = next(it)
        t = time.perf_counter()
        loss, _ = crit(model(text, tl, mels, ml), (mels, gate), tl, ml, 0)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), hp.grad_clip_thresh)
        opt.step()
        times.append(time.perf_counter() - t)
        frames += int(ml.sum())
        if i == 0 and steps <= 1:
            break
    timed = times[1:] if len(times) > 1 else times
    s_per_step = sum(timed) / len(timed)
    steps_per_epoch = max(1, len(data) // hp.batch_size)
    return {"config": name, "parameters": sum(p.numel() for p in model.parameters()), "batch_size": hp.batch_size,
            "r": hp.n_frames_per_step, "threads": torch.get_num_threads(), "clips": len(data),
            "mean_clip_s": round(sum(x[2].size(1) for x in data.items) * 256 / 22050 / max(1, len(data)), 2),
            "timed_steps": len(timed), "seconds_per_step": round(s_per_step, 3), "steps_per_s": round(1 / s_per_step, 4),
            "seconds_per_epoch": round(steps_per_epoch * s_per_step, 1), "steps_per_epoch": steps_per_epoch}


def main(dataset: str, tiny_steps: int = 10, default_steps: int = 1) -> int:
    rows = []
    with tempfile.TemporaryDirectory(prefix="formant-bench-") as cache:
        for name, steps in (("tiny", tiny_steps), ("default", default_steps)):
            if steps <= 0:
                continue
            rows.append(time_config(name, dataset, steps, cache))
            sys.stdout.write(json.dumps({"event": "bench", "dataset": os.path.basename(os.path.normpath(dataset)), "torch": torch.__version__, **rows[-1]}) + "\n")
            sys.stdout.flush()  # each config as soon as it is measured (the default one takes minutes)
    if len(rows) == 2:
        sys.stdout.write(json.dumps({"event": "bench_ratio", "default_over_tiny_seconds_per_step":
                                     round(rows[1]["seconds_per_step"] / rows[0]["seconds_per_step"], 1)}) + "\n")
    return 0
