"""Training loop for Tacotron-2 and WaveGlow: checkpoints every N steps (atomic), resume after kill -9,
warm start, validation with plots and alignment health, AMP on CUDA, DDP through torchrun.

Progress is one JSON object per line on stdout (events: start, step, validation, checkpoint, warning,
done, error); the app parses them (electron/services/training). Human-readable messages go to stderr.
"""
from __future__ import annotations

import json
import math
import os
import random
import signal
import sys
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

import numpy as np
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from . import __version__, checkpoint as ckpt
from .alignment import alignment_health
from .data_utils import (LengthBucketBatchSampler, MelAudioDataset, MelCache, TextMelCollate, TextMelDataset, TextMelPitchCollate,
                         attach_cleaned_text, attach_phonemes, mel_audio_collate, pitch_energy_stats, read_metadata,
                         split_train_val)
from .fastpitch import FastPitch, FastPitchLoss
from .frontend import PHONEMES, symbol_info
from .hparams import HParams, apply_overrides, hparams_from_dict, load_hparams
from .model import Tacotron2, Tacotron2Loss
from .waveglow import WaveGlow, WaveGlowLoss

MODELS = ("tacotron2", "waveglow", "fastpitch")
TEXT_MODELS = ("tacotron2", "fastpitch")  # read text: symbol table, phonemes.csv, length-bucketed batches


class TrainError(RuntimeError):
    pass


def emit(event: str, **fields) -> None:
    """One JSON line on stdout (rank 0 only), flushed at once so a parent process sees it live."""
    if dist.is_available() and dist.is_initialized() and dist.get_rank() != 0:
        return
    sys.stdout.write(json.dumps({"event": event, **fields}, default=float) + "\n")
    sys.stdout.flush()


def _rank() -> int:
    return dist.get_rank() if dist.is_available() and dist.is_initialized() else 0


def _world() -> int:
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


def setup_distributed() -> torch.device:
    """torchrun sets WORLD_SIZE/RANK/LOCAL_RANK (+ MASTER_ADDR/PORT); gloo on CPU, nccl on CUDA."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    if world > 1 and not dist.is_initialized():
        backend = "nccl" if cuda else "gloo"
        if cuda:
            torch.cuda.set_device(local_rank)
        dist.init_process_group(backend=backend, init_method=os.environ.get("FORMANT_DIST_INIT", "env://"))
    return torch.device("cuda", local_rank) if cuda else torch.device("cpu")


def make_scaler(enabled: bool):
    if hasattr(torch, "amp") and hasattr(torch.amp, "GradScaler"):
        try:
            return torch.amp.GradScaler("cuda", enabled=enabled)
        except TypeError:
            pass
    return torch.cuda.amp.GradScaler(enabled=enabled)


def autocast(enabled: bool):
    return torch.autocast(device_type="cuda", dtype=torch.float16) if enabled else nullcontext()


def forward_loss(model_name: str, model, criterion, batch, device, amp: bool, step: int):
    """One batch through the model (mixed precision where `amp`) → (loss, named parts). The losses are computed in fp32."""
    with autocast(amp):
        if model_name == "tacotron2":
            _, text, text_lengths, mels, mel_lengths, gate = batch
            text, text_lengths, mels, mel_lengths, gate = (t.to(device) for t in (text, text_lengths, mels, mel_lengths, gate))
            outputs = model(text, text_lengths, mels, mel_lengths)
            return criterion(tuple(o.float() for o in outputs), (mels, gate), text_lengths, mel_lengths, step)
        if model_name == "fastpitch":
            out, mels, text_lengths, mel_lengths = fastpitch_forward(model, batch, device)
            return criterion(out, mels, text_lengths, mel_lengths, step)
        mel, audio_seg = (t.to(device) for t in batch)
        z, log_s, log_det = model(mel, audio_seg)
        loss = criterion((z.float(), [s.float() for s in log_s], log_det))
        return loss, {"total": loss}


def fastpitch_forward(model, batch, device):
    """A TextMelPitchCollate batch through the duration model (teacher-forced) → (outputs in fp32, mels, text and mel
    lengths), for the training step and validation alike."""
    _, text, text_lengths, mels, mel_lengths, pitch, prior = batch
    text, text_lengths, mels, mel_lengths, pitch, prior = (t.to(device) for t in (text, text_lengths, mels, mel_lengths, pitch, prior))
    out = model(text, text_lengths, mels, mel_lengths, pitch, prior)
    return {k: v.float() if v.is_floating_point() else v for k, v in out.items()}, mels, text_lengths, mel_lengths


def fastpitch_lr(hp: HParams, step: int) -> float:
    """Linear warm-up to fp_learning_rate over fp_warmup_steps, then 1/sqrt(step) decay (FastPitch's schedule,
    normalized so the peak is the configured rate)."""
    s, w = max(1, step), max(1, hp.fp_warmup_steps)
    return hp.fp_learning_rate * min(s / w, math.sqrt(w / s))


def batch_frames(model_name: str, batch) -> int:
    """Mel frames a batch trains on (Tacotron-2: the clips' real lengths; WaveGlow: its segments' frames)."""
    if model_name in TEXT_MODELS:
        return int(batch[4].sum())
    mel = batch[0]
    return int(mel.shape[0] * mel.shape[-1])


class RateMeter:
    """Training speed as moving averages of batch time and frames, over batches only; `resume()` after a pause
    (validation, checkpoint) restarts the batch clock, so the pause is left out of the speed but kept in the ETA."""

    def __init__(self, clock=time.monotonic, smoothing: float = 0.1):
        self.clock, self.a = clock, smoothing
        self.t0 = self.last = clock()
        self.busy = 0.0
        self.dt = None  # moving average of seconds per batch
        self.frames = None  # moving average of frames per batch

    def batch_done(self, frames: int) -> None:
        now = self.clock()
        dt, self.last = max(1e-9, now - self.last), now
        self.busy += dt
        self.dt = dt if self.dt is None else (1 - self.a) * self.dt + self.a * dt
        self.frames = frames if self.frames is None else (1 - self.a) * self.frames + self.a * frames

    def resume(self) -> None:
        self.last = self.clock()

    @property
    def steps_per_s(self) -> float:
        return 1.0 / self.dt if self.dt else 0.0

    @property
    def frames_per_s(self) -> float:
        return self.frames / self.dt if self.dt else 0.0

    def eta_s(self, remaining_steps: int) -> float:
        if not self.dt:
            return 0.0
        overhead = (self.clock() - self.t0) / self.busy if self.busy > 0 else 1.0
        return remaining_steps * self.dt * max(1.0, overhead)


def apply_gradients(loss, model, optimizer, scaler, clip: float):
    """Backward (scaled under AMP), gradient-norm clipping, one optimizer step → the norm before clipping."""
    optimizer.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    scaler.step(optimizer)
    scaler.update()
    return grad_norm


class RunFiles:
    """<run-dir>/: run.json (config, dataset, split), metrics.jsonl, checkpoints/, plots/, cache/."""

    def __init__(self, run_dir: str):
        self.dir = os.path.abspath(run_dir)
        self.run_json = os.path.join(self.dir, "run.json")
        self.metrics = os.path.join(self.dir, "metrics.jsonl")
        self.plots = os.path.join(self.dir, "plots")
        self.cache = os.path.join(self.dir, "cache")

    def write_run_json(self, data: dict) -> None:
        ckpt.atomic_write_bytes(self.run_json, lambda f: f.write(json.dumps(data, indent=2).encode()))

    def read_run_json(self) -> dict | None:
        if not os.path.isfile(self.run_json):
            return None
        with open(self.run_json, encoding="utf-8") as f:
            return json.load(f)

    def append_metric(self, rec: dict) -> None:
        with open(self.metrics, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec, default=float) + "\n")

    def history(self, model: str) -> tuple[list, list]:
        train, val = [], []
        if os.path.isfile(self.metrics):
            with open(self.metrics, encoding="utf-8") as f:
                for line in f:
                    try:
                        r = json.loads(line)
                    except ValueError:
                        continue  # a line torn by kill -9
                    if r.get("model") != model:
                        continue
                    (val if r.get("event") == "validation" else train).append((r["step"], r["loss"]))
        return train, val


def train(dataset_dir: str, run_dir: str, config: str | None = None, steps: int | None = None, resume: bool = False,
          warm_start: str | None = None, model_name: str = "tacotron2", overrides: dict | None = None,
          time_budget: float | None = None, gta_dir: str | None = None, text_csv: str | None = None) -> dict:
    """`time_budget` (seconds): stop cleanly once it is spent, with a checkpoint and a validation at that step,
    so a run can be cut into chunks of wall-clock time (a shared machine, a leased GPU) without losing a step.
    SIGINT (Ctrl-C) and SIGTERM (the app's Stop) end a run the same way; the result's `stopped` names the signal.
    `gta_dir` (WaveGlow only): condition on Tacotron-2's teacher-forced mels from `gta` instead of the real ones."""
    check_arguments(model_name, gta_dir, time_budget)
    t_begin = time.time()
    device = setup_distributed()
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True  # TF32 matmuls/convs: Ampere+ speed at no visible cost to training
        torch.backends.cudnn.allow_tf32 = True
    rank = _rank()
    files = RunFiles(run_dir)
    os.makedirs(files.dir, exist_ok=True)
    if rank == 0:
        ckpt.remove_stale_tmp(files.dir)  # half-written files of a run killed mid-save

    hp, state, resumed_from = resolve_hparams(files, model_name, config, resume, overrides, steps)
    hp, sym = match_symbol_table(hp, state, model_name)
    seed_everything(hp.seed + rank)
    if device.type == "cpu" and hp.cpu_threads > 0:
        torch.set_num_threads(hp.cpu_threads)

    data = load_data(files, dataset_dir, hp, model_name, resume, gta_dir, text_csv)
    if model_name == "fastpitch" and hp.fp_pitch_std <= 0:  # first start: measure the training set once, keep it
        hp = hp.replace(**pitch_energy_stats(data.full.subset(u.id for u in data.train_utts).items))
    if rank == 0:
        files.write_run_json({**data.run_info, "dataset": os.path.abspath(dataset_dir), "trainer": __version__,
                              "torch": torch.__version__, "val_ids": [u.id for u in data.val_utts],
                              model_name: {"hparams": hp.to_dict(), "config": config, "text_frontend": hp.text_frontend,
                                           **({"gta": os.path.abspath(data.gta_dir)} if data.gta_dir else {})}})

    run = build_run(files, dataset_dir, model_name, hp, sym, data, device)
    if state is not None:
        step, epoch = restore_checkpoint(run, state, resumed_from)
    else:
        step, epoch = 0, 0
        if warm_start:
            apply_warm_start(run, warm_start)
    wrap_for_ddp(run)
    loader, sampler = make_loader(run, epoch)
    run.steps_per_epoch = max(1, len(loader))
    emit("start", model=model_name, step=step, steps=hp.steps, run_dir=files.dir, dataset=os.path.abspath(dataset_dir),
         device=str(device), world_size=run.world, amp=run.amp, train_utterances=len(run.train_set),
         val_utterances=len(run.val_set) if run.val_set else 0, steps_per_epoch=run.steps_per_epoch,
         batch_size=run.batch_size, parameters=sum(p.numel() for p in run.model.parameters()), torch=torch.__version__)

    with StopRequest() as stop:
        step, last_ckpt = training_loop(run, loader, sampler, step, epoch, stop, time_budget, t_begin)
    if last_ckpt is None and rank == 0:
        saved = ckpt.list_checkpoints(files.dir, model_name)
        last_ckpt = saved[-1][1] if saved else None
    emit("done", model=model_name, step=step, steps_trained=step - run.start_step, checkpoint=last_ckpt,
         **({"stopped": stop.signal_name} if stop.stopped else {}))
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
    return {"step": step, "checkpoint": last_ckpt, "stopped": stop.signal_name if stop.stopped else None}


def check_arguments(model_name: str, gta_dir: str | None, time_budget: float | None) -> None:
    if model_name not in MODELS:
        raise TrainError(f"--model {model_name!r}: expected one of {', '.join(MODELS)}")
    if gta_dir is not None and model_name != "waveglow":
        raise TrainError("--gta: teacher-forced mels condition a vocoder; use it with --model waveglow")
    if gta_dir is not None and not os.path.isdir(gta_dir):
        raise TrainError(f"--gta {gta_dir}: no such directory (make it with `python -m formant_trainer gta`)")
    if time_budget is not None and time_budget <= 0:
        raise TrainError(f"--time-budget {time_budget}: expected seconds > 0")


def resolve_hparams(files: RunFiles, model_name: str, config: str | None, resume: bool, overrides: dict | None,
                    steps: int | None) -> tuple[HParams, dict | None, str | None]:
    """A new run: the config (preset or file) + --set. A resumed run: its newest loadable checkpoint's own
    hyper-parameters + --set, checked the same way (unknown names and ill-typed values refused)."""
    state, resumed_from = None, None
    if resume:
        found = ckpt.latest_loadable(files.dir, model_name)
        if found is None:
            raise TrainError(f"--resume: no {model_name} checkpoint in {files.dir}/checkpoints")
        state, resumed_from = found
        hp = apply_overrides(hparams_from_dict(state["hparams"]), overrides)
        check_resume_frontend(state, hp, config, resumed_from)
    else:
        existing = ckpt.list_checkpoints(files.dir, model_name)
        if existing:
            raise TrainError(f"{files.dir} already has {model_name} checkpoints (newest: {os.path.basename(existing[-1][1])}); "
                             "pass --resume to continue it, or choose another --out")
        hp = load_hparams(config or "default", overrides)
    if steps is not None:
        hp = hp.replace(steps=int(steps))
    return hp, state, resumed_from


def match_symbol_table(hp: HParams, state: dict | None, model_name: str):
    """The text frontend's symbol table, and n_symbols filled from it; a resumed run whose table changed is refused."""
    sym = symbol_info(hp.text_frontend)
    if hp.n_symbols <= 0:
        hp = hp.replace(n_symbols=len(sym.symbols))
    elif hp.n_symbols != len(sym.symbols) and state is None:
        raise TrainError(f"config n_symbols={hp.n_symbols} but the {hp.text_frontend} symbol table has {len(sym.symbols)}")
    if state is not None and state.get("symbols") and list(state["symbols"]) != sym.symbols and model_name in TEXT_MODELS:
        table = "phonemeSymbols.json" if hp.text_frontend == PHONEMES else "symbols.json"
        raise TrainError(f"the symbol table changed since this run started (shared/text/{table}); "
                         "start a new run with --warm-start from its checkpoint instead of --resume")
    return hp, sym


def seed_everything(seed: int) -> None:
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)


@contextmanager
def rng_preserved(device):
    """Validation and the free-running sample draw random numbers (dropout, a DataLoader's base seed) and seed the
    pre-net's dropout for repeatable plots; the training stream continues afterwards as if they had not run."""
    py_state, np_state, cpu_state = random.getstate(), np.random.get_state(), torch.get_rng_state()
    cuda_state = torch.cuda.get_rng_state(device) if device.type == "cuda" else None
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        torch.set_rng_state(cpu_state)
        if cuda_state is not None:
            torch.cuda.set_rng_state(cuda_state, device)


@dataclass
class RunData:
    utts: list
    full: object  # TextMelDataset of every usable clip (text models), else None
    train_utts: list
    val_utts: list
    cache: MelCache
    gta_dir: str | None
    run_info: dict


def load_data(files: RunFiles, dataset_dir: str, hp: HParams, model_name: str, resume: bool, gta_dir: str | None,
              text_csv: str | None = None) -> RunData:
    """metadata.csv (+ cleaned.csv or phonemes.csv: the text as TypeScript wrote it), the clips a text model can use,
    and the train/validation split (a resumed run keeps the one in run.json)."""
    utts = read_metadata(dataset_dir)
    if model_name in TEXT_MODELS and hp.text_frontend == PHONEMES:
        attach_phonemes(dataset_dir, utts)  # refuses a missing/incomplete phonemes.csv before any mel is computed
    elif model_name in TEXT_MODELS:
        attach_cleaned_text(dataset_dir, utts, text_csv)  # likewise cleaned.csv
    run_info = files.read_run_json() or {}
    if resume and gta_dir is None and (run_info.get(model_name) or {}).get("gta"):
        gta_dir = run_info[model_name]["gta"]  # a resumed vocoder keeps the mels it was trained on
        if not os.path.isdir(gta_dir):
            raise TrainError(f"this run trained on the teacher-forced mels in {gta_dir}, which are gone; pass --gta")
    cache = MelCache(files.cache, hp)
    full = None
    if model_name in TEXT_MODELS:
        # drops clips too long or unspellable, so validation uses usable ones
        full = TextMelDataset(utts, hp, cache, with_pitch=model_name == "fastpitch")
        if full.errors:
            emit("warning", message=f"skipped {len(full.errors)} utterance(s) whose text the symbol table cannot spell",
                 details=full.errors[:20])
        if full.skipped:
            why = f"longer than {hp.max_wav_seconds} s (max_wav_seconds)" + (
                " or with fewer mel frames than symbols" if model_name == "fastpitch" else "")
            emit("warning", message=f"skipped {len(full.skipped)} utterance(s) {why}", ids=full.skipped[:50])
        usable = set(full.ids())
        utts = [u for u in utts if u.id in usable]
    val_ids = run_info.get("val_ids") if resume else None
    if val_ids is None:
        train_utts, val_utts = split_train_val(utts, hp.n_val, hp.seed)
    else:
        vs = set(val_ids)
        train_utts = [u for u in utts if u.id not in vs]
        val_utts = [u for u in utts if u.id in vs]
    return RunData(utts, full, train_utts, val_utts, cache, gta_dir, run_info)


@dataclass
class Run:
    """What the training loop works with: the run's files and settings, the model and its optimizer, the data."""
    files: RunFiles
    dataset_dir: str
    model_name: str
    hp: HParams
    sym: object
    device: torch.device
    rank: int
    world: int
    amp: bool
    model: torch.nn.Module
    criterion: object
    optimizer: torch.optim.Optimizer
    scaler: object
    lr: float
    batch_size: int
    train_set: object
    val_set: object
    collate: object
    full: object
    texts: dict
    phonemes: dict
    train_model: torch.nn.Module | None = None  # the model, or its DDP wrapper
    start_step: int = 0
    steps_per_epoch: int = 1


def build_run(files: RunFiles, dataset_dir: str, model_name: str, hp: HParams, sym, data: RunData, device) -> Run:
    """The model, its loss, datasets and collate function, optimizer and gradient scaler for `model_name`."""
    rank, world = _rank(), _world()
    amp = bool(hp.amp and device.type == "cuda")
    full, cache = data.full, data.cache
    if model_name == "tacotron2":
        model = Tacotron2(hp).to(device)
        criterion = Tacotron2Loss(hp)
        lr, batch_size = hp.learning_rate, hp.batch_size
        train_set = full.subset(u.id for u in data.train_utts)
        val_set = full.subset(u.id for u in data.val_utts) if data.val_utts else None
        collate = TextMelCollate(hp.n_frames_per_step, sym.pad_id)
    elif model_name == "fastpitch":
        model = FastPitch(hp).to(device)
        criterion = FastPitchLoss(hp)
        lr, batch_size = fastpitch_lr(hp, step=1), hp.fp_batch_size
        train_set = full.subset(u.id for u in data.train_utts)
        val_set = full.subset(u.id for u in data.val_utts) if data.val_utts else None
        collate = TextMelPitchCollate(hp, sym.pad_id)
    else:
        model = WaveGlow(hp).to(device)
        criterion = WaveGlowLoss(hp.wg_sigma_train)
        lr, batch_size = hp.wg_learning_rate, hp.wg_batch_size
        train_set = MelAudioDataset(data.train_utts, hp, cache, seed=hp.seed + rank, gta_dir=data.gta_dir)
        val_set = MelAudioDataset(data.val_utts, hp, cache, seed=hp.seed, gta_dir=data.gta_dir) if data.val_utts else None
        collate = mel_audio_collate
    if len(train_set) == 0:
        raise TrainError(f"{dataset_dir}: no usable training utterances")
    if model_name in TEXT_MODELS:
        minutes = sum(train_set.lengths()) * hp.hop_length / hp.sampling_rate / 60
        if minutes < 5:
            emit("warning", message=f"only {minutes:.1f} minutes of speech to train on: a voice trained from scratch needs about "
                 "30 minutes; fine-tuning a trained voice (--warm-start) needs far less")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=hp.weight_decay if model_name in TEXT_MODELS else 0.0,
                                 **({"betas": (0.9, 0.98), "eps": 1e-9} if model_name == "fastpitch" else {}))
    return Run(files=files, dataset_dir=dataset_dir, model_name=model_name, hp=hp, sym=sym, device=device, rank=rank,
               world=world, amp=amp, model=model, criterion=criterion, optimizer=optimizer, scaler=make_scaler(amp), lr=lr,
               batch_size=batch_size, train_set=train_set, val_set=val_set, collate=collate, full=full,
               texts={u.id: u.text for u in data.utts},
               phonemes={u.id: u.phonemes for u in data.utts if u.phonemes is not None})


def restore_checkpoint(run: Run, state: dict, resumed_from: str) -> tuple[int, int]:
    """Weights, optimizer and scaler of the resumed checkpoint → (step, epoch)."""
    run.model.load_state_dict(state["model"])
    run.optimizer.load_state_dict(state["optimizer"])
    for g in run.optimizer.param_groups:  # the saved groups carry the old rate; --set learning_rate=… on resume wins
        g["lr"] = run.lr
    if state.get("scaler") and run.amp:
        run.scaler.load_state_dict(state["scaler"])
    step, epoch = int(state["step"]), int(state.get("epoch", 0))
    emit("resumed", model=run.model_name, step=step, checkpoint=resumed_from)
    return step, epoch


def apply_warm_start(run: Run, warm_start: str) -> None:
    if not os.path.isfile(warm_start):
        raise TrainError(f"--warm-start {warm_start}: no such file")
    report = ckpt.warm_start(run.model, ckpt.load(warm_start))
    emit("warm_start", model=run.model_name, checkpoint=os.path.abspath(warm_start), loaded=report["loaded"],
         skipped=report["skipped"], missing=report["missing"])
    if report["skipped"]:
        emit("warning", message=f"warm start: {len(report['skipped'])} tensor(s) of the checkpoint do not fit this model "
             f"and start from scratch: {', '.join(report['skipped'][:5])}"
             + (" (the symbol embedding: another symbol table or text frontend)" if any("embedding" in k for k in report["skipped"]) else ""))


def wrap_for_ddp(run: Run) -> None:
    """The model the loop trains: the model itself, or its DDP wrapper (gradients averaged) when several ranks train."""
    run.train_model = run.model
    if run.world > 1:
        run.train_model = torch.nn.parallel.DistributedDataParallel(
            run.model, device_ids=[run.device.index] if run.device.type == "cuda" else None)


def make_loader(run: Run, epoch: int):
    """The training batches (length buckets for text models where they fit, else shuffled; one share per DDP rank)
    → (loader, sampler whose epoch is set each pass, or None)."""
    hp, world, rank, train_set = run.hp, run.world, run.rank, run.train_set
    drop_last = len(train_set) >= run.batch_size * world
    if run.model_name in TEXT_MODELS and hp.length_bucket_pool > 0 and (drop_last or world == 1):
        sampler = LengthBucketBatchSampler(train_set.lengths(), run.batch_size, hp.length_bucket_pool, seed=hp.seed,
                                           drop_last=drop_last, num_replicas=world, rank=rank)
        return DataLoader(train_set, batch_sampler=sampler, collate_fn=run.collate, num_workers=hp.num_workers), sampler
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=hp.seed) if world > 1 else None
    g = torch.Generator()
    g.manual_seed(hp.seed + epoch)
    loader = DataLoader(train_set, batch_size=run.batch_size, shuffle=sampler is None, sampler=sampler, collate_fn=run.collate,
                        drop_last=drop_last, num_workers=hp.num_workers, generator=g)
    return loader, sampler


STOP_ON_STDIN = "FORMANT_STOP_ON_STDIN"


class StopRequest:
    """SIGINT (Ctrl-C) and SIGTERM (the app's Stop, a scheduler) ask the loop to end at the next step with a
    checkpoint and a validation, as --time-budget does. A second signal ends at once (KeyboardInterrupt) — unless it
    follows the first within `repeat_s`: torchrun forwards the terminal's Ctrl-C, so one press can arrive twice.
    With FORMANT_STOP_ON_STDIN=1 a line `stop` on stdin asks the same: Windows has no signal a parent can send
    that a process can handle, so the app stops its trainer that way there."""

    def __init__(self, repeat_s: float = 1.0, clock=time.monotonic):
        self.repeat_s, self.clock = repeat_s, clock
        self.signal_name: str | None = None
        self.stopped = False  # the loop acted on it
        self._since = 0.0
        self._previous: dict = {}

    def __enter__(self) -> "StopRequest":
        if threading.current_thread() is threading.main_thread():  # signal handlers can only be set there
            for s in (signal.SIGINT, signal.SIGTERM):
                self._previous[s] = signal.signal(s, self._handle)
        if os.environ.get(STOP_ON_STDIN) == "1":
            threading.Thread(target=self._watch_stdin, name="stop-on-stdin", daemon=True).start()
        return self

    def _watch_stdin(self) -> None:
        for line in sys.stdin:
            if line.strip() == "stop" and self.signal_name is None:
                self.signal_name = "stop"

    def __exit__(self, *exc) -> None:
        for s, handler in self._previous.items():
            signal.signal(s, handler)

    def _handle(self, signum, _frame) -> None:
        now = self.clock()
        if self.signal_name is None:
            self.signal_name, self._since = signal.Signals(signum).name, now
        elif now - self._since > self.repeat_s:
            raise KeyboardInterrupt

    @property
    def requested(self) -> bool:
        return self.signal_name is not None


def agreed(flags: list[bool], device, world: int) -> list[bool]:
    """Each flag true on every rank where it is true on any (one all-reduce), so all ranks take the same branch."""
    if world <= 1:
        return flags
    t = torch.tensor([float(f) for f in flags], device=device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return [bool(v) for v in t.tolist()]


def apply_if_finite(loss, model, optimizer, scaler, clip: float, device, world: int):
    """The optimizer step for a finite loss → the gradient norm; None where the loss is not finite on any rank (the
    batch is skipped on all of them together: a rank that went on alone would wait for the others forever)."""
    (skip,) = agreed([not bool(torch.isfinite(loss.detach()))], device, world)
    if not skip:
        return apply_gradients(loss, model, optimizer, scaler, clip)
    if world > 1:
        # DDP's reducer expects this forward's backward before the next forward; a zero loss finishes it, and the
        # gradients (whatever they hold) are dropped below without a step.
        (loss * 0).backward()
    optimizer.zero_grad(set_to_none=True)
    return None


def training_loop(run: Run, loader, sampler, step: int, epoch: int, stop: StopRequest, time_budget: float | None,
                  t_begin: float) -> tuple[int, str | None]:
    """Steps until hp.steps, the time budget or a stop signal → (step reached, newest checkpoint written)."""
    hp, model_name, files = run.hp, run.model_name, run.files
    run.start_step = step
    last_ckpt = None
    # Training speed counts only the batches (loading included): validation and checkpoint pauses would otherwise
    # drop the moving average after every validation and make it swing. The ETA does include them, through the
    # measured ratio of wall time to batch time.
    meter = RateMeter()
    ending = False
    while step < hp.steps and not ending:
        if sampler is not None:
            sampler.set_epoch(epoch)
        for batch in loader:
            if step >= hp.steps:
                break
            run.train_model.train()
            if model_name == "fastpitch":
                for g in run.optimizer.param_groups:
                    g["lr"] = fastpitch_lr(hp, step + 1)
            loss, parts = forward_loss(model_name, run.train_model, run.criterion, batch, run.device, run.amp, step)
            grad_norm = apply_if_finite(loss, run.model, run.optimizer, run.scaler, hp.grad_clip_thresh,
                                        run.device, run.world)
            if grad_norm is None:
                emit("warning", message=f"non-finite loss at step {step + 1}; batch skipped", step=step + 1)
                continue
            step += 1

            meter.batch_done(batch_frames(model_name, batch))
            if run.rank == 0 and (step % hp.log_every == 0 or step == hp.steps):
                losses = {k: float(v.detach()) for k, v in parts.items()}
                rec = {"model": model_name, "step": step, "epoch": epoch, "loss": losses["total"], "losses": losses,
                       "grad_norm": float(grad_norm), "lr": run.optimizer.param_groups[0]["lr"],
                       "steps_per_s": round(meter.steps_per_s, 4), "frames_per_s": round(meter.frames_per_s, 1),
                       "eta_s": round(meter.eta_s(hp.steps - step), 1),
                       "seconds_per_epoch": round(run.steps_per_epoch / max(meter.steps_per_s, 1e-9), 2)}
                emit("step", **rec)
                files.append_metric({"event": "step", **rec})

            # every rank must stop at the same step: out of time or asked to stop on any of them
            out_of_time, stopping = agreed([time_budget is not None and time.time() - t_begin >= time_budget, stop.requested],
                                           run.device, run.world)
            ending = out_of_time or stopping
            if stopping:
                stop.stopped = True
                stop.signal_name = stop.signal_name or "SIGTERM"  # another rank's signal
                emit("stopping", model=model_name, step=step, signal=stop.signal_name)
            if step % hp.checkpoint_every == 0 or step == hp.steps or ending:
                last_ckpt = save(files, model_name, run.model, run.optimizer, run.scaler, step, epoch, hp, run.sym, run.dataset_dir)
            if run.val_set is not None and (step % hp.validate_every == 0 or step == hp.steps or ending):
                with rng_preserved(run.device):
                    validate(files, model_name, run.model, run.criterion, run.val_set, run.collate, hp, step, run.device, run.amp,
                             run.texts, run.phonemes, all_set=run.full if model_name == "fastpitch" else None)
            meter.resume()
            if out_of_time:
                emit("time_budget", model=model_name, step=step, seconds=round(time.time() - t_begin, 1))
            if ending:
                break
        else:
            epoch += 1
            continue
        break
    return step, last_ckpt


def check_resume_frontend(state: dict, hp: HParams, config: str | None, checkpoint: str) -> None:
    """A run keeps its text frontend: the embedding's rows are the ids of one symbol table. `--set text_frontend=…`
    or a --config file naming another one is refused (with --resume the config is otherwise ignored)."""
    trained = state.get("text_frontend") or (state.get("hparams") or {}).get("text_frontend") or "characters"
    asked = {hp.text_frontend}
    if config and os.path.isfile(config):  # only a config that names a frontend; presets and others stay ignored
        with open(config, encoding="utf-8") as f:
            named = json.load(f)
        if isinstance(named, dict) and "text_frontend" in named:
            asked.add(named["text_frontend"])
    other = sorted(asked - {trained})
    if other:
        raise TrainError(f"this run was trained with text_frontend={trained} ({os.path.basename(checkpoint)}); resuming it "
                         f"with text_frontend={other[0]} is refused. Start a new run (another --out) with "
                         f"--warm-start {checkpoint}: every tensor but the symbol embedding carries over")


def save(files: RunFiles, model_name, model, optimizer, scaler, step, epoch, hp: HParams, sym, dataset_dir) -> str | None:
    if _rank() != 0:
        return None
    path = ckpt.checkpoint_path(files.dir, model_name, step)
    ckpt.save_checkpoint(path, {
        "format": "formant-trainer-checkpoint", "model_name": model_name, "model": model.state_dict(),
        "optimizer": optimizer.state_dict(), "scaler": scaler.state_dict(), "step": step, "epoch": epoch,
        "hparams": hp.to_dict(), "symbols": sym.symbols, "pad_id": sym.pad_id, "eos_id": sym.eos_id,
        "text_frontend": hp.text_frontend, "mel_preset": hp.mel_preset, "dataset": os.path.abspath(dataset_dir), "trainer": __version__,
        "torch": str(torch.__version__), "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    })
    ckpt.prune(files.dir, model_name, hp.keep_checkpoints)
    emit("checkpoint", model=model_name, step=step, path=path)
    return path


@torch.no_grad()
def validate(files: RunFiles, model_name, model, criterion, val_set, collate, hp: HParams, step, device, amp,
             texts: dict | None = None, phonemes: dict | None = None, all_set=None) -> None:
    if _rank() != 0:
        return
    try:
        from . import plotting
    except ImportError:  # matplotlib missing (a bare system Python): losses and alignment health still reported
        plotting = None
    model.eval()
    loader = DataLoader(val_set, batch_size=max(1, min(len(val_set), 4)), shuffle=False, collate_fn=collate)
    total, mel_mse, n = 0.0, 0.0, 0
    health, plots = [], {}
    torch.manual_seed(hp.seed)  # the pre-net's dropout stays on: same masks every validation
    for batch in loader:
        with autocast(amp):
            if model_name == "tacotron2":
                ids, text, text_lengths, mels, mel_lengths, gate = batch
                text, text_lengths, mels, mel_lengths, gate = (t.to(device) for t in (text, text_lengths, mels, mel_lengths, gate))
                outputs = model(text, text_lengths, mels, mel_lengths)
                outputs = tuple(o.float() for o in outputs)
                loss, parts = criterion(outputs, (mels, gate), text_lengths, mel_lengths, step)
                mel_mse += float(parts["mel"]) * len(batch[0])
                align = outputs[3].cpu().numpy()
                for i, uid in enumerate(ids):
                    n_steps = int(math.ceil(int(mel_lengths[i]) / hp.n_frames_per_step))
                    health.append({"id": uid, **alignment_health(align[i], n_steps, int(text_lengths[i]))})
                if not plots and plotting is not None:
                    uid, n_steps, n_sym, n_fr = ids[0], int(math.ceil(int(mel_lengths[0]) / hp.n_frames_per_step)), int(text_lengths[0]), int(mel_lengths[0])
                    plots["alignment"] = plotting.plot_alignment(align[0][:n_steps, :n_sym], os.path.join(files.plots, f"alignment_{step:08d}.png"),
                                                                 f"{uid} · step {step} · focus {health[0]['focus']:.2f} diag {health[0]['diagonality']:.2f}")
                    plots["mel"] = plotting.plot_mels(outputs[1][0, :, :n_fr].cpu().numpy(), mels[0, :, :n_fr].cpu().numpy(),
                                                      os.path.join(files.plots, f"mel_{step:08d}.png"), f"{uid} · step {step} (teacher forced)")
            elif model_name == "fastpitch":
                ids = batch[0]
                out, mels, text_lengths, mel_lengths = fastpitch_forward(model, batch, device)
                loss, parts = criterion(out, mels, text_lengths, mel_lengths, step)
                mel_mse += float(((out["mel"] - mels) ** 2).sum() / (mel_lengths.sum() * mels.size(1))) * len(ids)
                soft = out["attn_soft"].cpu().numpy()
                for i, uid in enumerate(ids):
                    health.append({"id": uid, **alignment_health(soft[i], int(mel_lengths[i]), int(text_lengths[i]))})
                if not plots and plotting is not None:
                    uid, n_sym, n_fr = ids[0], int(text_lengths[0]), int(mel_lengths[0])
                    plots["alignment"] = plotting.plot_alignment(soft[0][:n_fr, :n_sym], os.path.join(files.plots, f"alignment_{step:08d}.png"),
                                                                 f"{uid} · step {step} · learned alignment · focus {health[0]['focus']:.2f}")
                    plots["mel"] = plotting.plot_mels(out["mel"][0, :, :n_fr].cpu().numpy(), mels[0, :, :n_fr].cpu().numpy(),
                                                      os.path.join(files.plots, f"mel_{step:08d}.png"), f"{uid} · step {step} (recorded durations and pitch)",
                                                      predicted_label="predicted")
            else:
                mel, audio_seg = (t.to(device) for t in batch)
                z, log_s, log_det = model(mel, audio_seg)
                loss = criterion((z.float(), [s.float() for s in log_s], log_det))
        total += float(loss) * len(batch[0])
        n += len(batch[0])
    val_loss = total / max(1, n)
    # the mel MSE alone: comparable across mel_loss settings and guided-attention decay
    mel_part = {"mel_mse": mel_mse / max(1, n)} if model_name in TEXT_MODELS else {}
    sample = free_running_sample(files, model, val_set, hp, step, device, texts, phonemes) if model_name in TEXT_MODELS else None
    files.append_metric({"event": "validation", "model": model_name, "step": step, "loss": val_loss, **mel_part,
                         **({"sample": sample} if sample else {})})  # the app lists samples of runs it did not start
    train_hist, val_hist = files.history(model_name)
    if plotting is not None:
        plots["loss"] = plotting.plot_loss_curve(train_hist, val_hist, os.path.join(files.plots, f"loss_{model_name}.png"))
    if health:
        files_path = os.path.join(files.dir, "alignment_health.json")
        ckpt.atomic_write_bytes(files_path, lambda f: f.write(json.dumps({"step": step, "utterances": health}, indent=1).encode()))
    extra = {"sample": sample} if sample else {}
    if all_set is not None:
        extra["misaligned"] = write_alignment_report(files, model, all_set, collate, hp, step, device)
    emit("validation", model=model_name, step=step, loss=val_loss, **mel_part, alignment=health, plots=plots,
         aligned=sum(1 for h in health if h["aligned"]), utterances=len(health) if health else n, **extra)
    model.train()


def write_alignment_report(files: RunFiles, model, dataset, collate, hp: HParams, step: int, device) -> list[str]:
    """Every clip's alignment score (fastpitch.clip_alignment_scores) → <run>/alignment_report.json, atomically; returns the
    ids of clips whose text and audio most likely disagree. Before the alignment has settled (fp_bin_loss_start) the
    scores are written but nothing is flagged: early on every clip aligns poorly."""
    from .fastpitch import clip_alignment_scores, flag_misaligned
    loader = DataLoader(dataset, batch_size=8, shuffle=False, collate_fn=lambda b: tuple(
        t.to(device) if torch.is_tensor(t) else t for t in collate(b)))
    scores = flag_misaligned(clip_alignment_scores(model, loader))
    settled = step >= hp.fp_bin_loss_start
    if not settled:
        for sc in scores:
            sc["flagged"], sc["reasons"] = False, []
    flagged = [sc["id"] for sc in sorted(scores, key=lambda x: -max(x["z"], x["z_longest"])) if sc["flagged"]]
    report = {"format": "formant-alignment-report", "version": 1, "model": "fastpitch", "step": step, "settled": settled,
              "measure": "forward-sum loss per symbol (-log P(text | audio) / symbols) of the learned alignment (z) and the "
                         "frames of its longest symbol (z_longest); flagged: either's robust z-score over the dataset above 3.5",
              "flagged": flagged, "clips": scores}
    ckpt.atomic_write_bytes(os.path.join(files.dir, "alignment_report.json"), lambda f: f.write(json.dumps(report, indent=1).encode()))
    model.train()
    return flagged


def free_running_sample(files: RunFiles, model, val_set, hp: HParams, step, device, texts: dict | None,
                        phonemes: dict | None = None) -> dict | None:
    """What the voice says on its own (no teacher forcing): the first validation text, synthesized until the stop
    token fires or twice the recording's length, saved as samples/sample_<step>.npy (post-net mel [nMels, T],
    ln-mel of the run's preset) for the app to play through Griffin-Lim. Teacher-forced mels sound fine long
    before the voice can read; this is the honest sample."""
    uid, ids, target = val_set.items[0][:3]
    if isinstance(model, FastPitch):  # predicted durations, pitch and energy: nothing of the recording
        mel_out, _ = model.infer(ids.unsqueeze(0).to(device), torch.ones(1, device=device), torch.zeros(1, device=device))
        stopped, mel = True, mel_out[0].float().cpu().numpy()
    else:
        max_steps = 2 * int(math.ceil(target.size(1) / hp.n_frames_per_step))
        torch.manual_seed(hp.seed)
        _, mel_post, gate, _ = model.inference(ids.unsqueeze(0).to(device), max_steps=max_steps)
        stopped = bool(torch.sigmoid(gate[0, -1]).item() > hp.gate_threshold)
        mel = mel_post[0].float().cpu().numpy()
    os.makedirs(os.path.join(files.dir, "samples"), exist_ok=True)
    path = os.path.join(files.dir, "samples", f"sample_{step:08d}.npy")
    ckpt.atomic_write_bytes(path, lambda f: np.save(f, mel))
    sample = {"id": uid, "text": (texts or {}).get(uid, ""), "mel": path, "frames": int(mel.shape[1]), "stopped": stopped,
              "melPreset": hp.mel_preset}
    if (phonemes or {}).get(uid) is not None:
        sample["phonemes"] = phonemes[uid]  # what the model read (text stays the human-readable transcript)
    return sample
