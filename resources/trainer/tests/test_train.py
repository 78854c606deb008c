"""Training end to end: loss falls on real speech, a run killed with SIGKILL resumes from its last checkpoint,
warm start, a 2-process gloo DDP step through torchrun, and clear errors for bad input."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import TRAINER, json_lines, run_trainer, trainer_cmd, write_synthetic_dataset

FAST = ["--config", "tiny"]


def test_tiny_config_loss_falls_clearly_on_real_speech(lj_small, tmp_path):
    # The shortest lj-small clips (≤ 5.3 s), r = 5, batch 2: 120 steps, about a CPU-minute on an idle core.
    r = run_trainer("train", str(lj_small), "--out", str(tmp_path / "run"), *FAST, "--steps", "120",
                    "--set", "max_wav_seconds=5.3", "--set", "n_frames_per_step=5", "--set", "batch_size=2",
                    "--set", "validate_every=120", "--set", "checkpoint_every=120", timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    events = json_lines(r.stdout)
    steps = [e for e in events if e["event"] == "step"]
    assert len(steps) == 120
    first = sum(e["loss"] for e in steps[:10]) / 10
    last = sum(e["loss"] for e in steps[-10:]) / 10
    assert last < 0.35 * first, (first, last)
    assert all(k in steps[-1] for k in ("grad_norm", "steps_per_s", "frames_per_s", "eta_s", "losses"))
    assert steps[-1]["frames_per_s"] > steps[-1]["steps_per_s"] > 0
    val = [e for e in events if e["event"] == "validation"]
    assert val and val[-1]["loss"] < first
    # the mel MSE alone (comparable across mel_loss settings): below the total, which adds gate and guided attention
    assert 0 < val[-1]["mel_mse"] < val[-1]["loss"]
    for name in ("alignment", "mel", "loss"):
        assert os.path.getsize(val[-1]["plots"][name]) > 1000
    assert val[-1]["alignment"] and {"focus", "diagonality", "aligned"} <= set(val[-1]["alignment"][0])
    done = events[-1]
    assert done["event"] == "done" and os.path.isfile(done["checkpoint"])


def test_resume_after_kill_9_continues_from_the_checkpoint(synthetic_dataset, tmp_path):
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(TRAINER)}
    p = subprocess.Popen(trainer_cmd("train", str(synthetic_dataset), "--out", str(out), *FAST, "--steps", "100000",
                                     "--set", "checkpoint_every=3", "--set", "validate_every=100000"),
                         cwd=TRAINER, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    saved = []
    deadline = time.time() + 240
    try:
        for line in p.stdout:
            if '"event": "checkpoint"' in line:
                saved.append(json_lines(line)[0])
                if len(saved) == 2:
                    break
            assert time.time() < deadline, "no checkpoint in time"
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    assert p.returncode == -signal.SIGKILL
    last = saved[-1]["step"]
    assert not list((out / "checkpoints").glob("*.tmp"))

    target = last + 6
    r = run_trainer("train", str(synthetic_dataset), "--out", str(out), "--resume", "--steps", str(target))
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    events = json_lines(r.stdout)
    resumed = next(e for e in events if e["event"] == "resumed")
    assert resumed["step"] in (last, last + 3)  # the kill may land just after the next checkpoint's rename
    steps = [e["step"] for e in events if e["event"] == "step"]
    assert steps == list(range(resumed["step"] + 1, target + 1))
    assert events[-1]["event"] == "done" and events[-1]["step"] == target

    # Without --resume an existing run is not overwritten.
    r = run_trainer("train", str(synthetic_dataset), "--out", str(out), *FAST, "--steps", "5")
    assert r.returncode == 2 and "--resume" in json_lines(r.stdout)[-1]["message"]


def test_resume_with_a_new_learning_rate_uses_it(synthetic_dataset, tmp_path):
    # the optimizer state saved in the checkpoint carries the old rate; an override on resume must win over it
    out = tmp_path / "run"
    r = run_trainer("train", str(synthetic_dataset), "--out", str(out), *FAST, "--steps", "2", "--set", "learning_rate=0.002")
    assert r.returncode == 0, r.stderr[-2000:]
    assert {e["lr"] for e in json_lines(r.stdout) if e["event"] == "step"} == {0.002}
    r = run_trainer("train", str(synthetic_dataset), "--out", str(out), "--resume", "--steps", "4", "--set", "learning_rate=0.0005")
    assert r.returncode == 0, r.stderr[-2000:]
    assert {e["lr"] for e in json_lines(r.stdout) if e["event"] == "step"} == {0.0005}
    r = run_trainer("train", str(synthetic_dataset), "--out", str(out), "--resume", "--steps", "5")
    assert {e["lr"] for e in json_lines(r.stdout) if e["event"] == "step"} == {0.0005}  # the checkpoint keeps the override


def test_warm_start_loads_weights_and_restarts_the_step_count(synthetic_dataset, tmp_path):
    r = run_trainer("train", str(synthetic_dataset), "--out", str(tmp_path / "a"), *FAST, "--steps", "2")
    assert r.returncode == 0, r.stderr[-2000:]
    src = json_lines(r.stdout)[-1]["checkpoint"]
    r = run_trainer("train", str(synthetic_dataset), "--out", str(tmp_path / "b"), *FAST, "--steps", "1", "--warm-start", src)
    assert r.returncode == 0, r.stderr[-2000:]
    ev = json_lines(r.stdout)
    ws = next(e for e in ev if e["event"] == "warm_start")
    assert ws["skipped"] == [] and ws["loaded"] > 10
    assert [e["step"] for e in ev if e["event"] == "step"] == [1]


@pytest.mark.parametrize("model", ["tacotron2", "fastpitch"])
def test_ddp_two_processes_gloo_do_one_step(synthetic_dataset, tmp_path, model):
    env = {**os.environ, "PYTHONPATH": str(TRAINER), "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           "-m", "formant_trainer", "train", str(synthetic_dataset), "--out", str(tmp_path / "ddp"), *FAST, "--steps", "1",
           "--set", "batch_size=2", "--set", "fp_batch_size=2", "--model", model]
    r = subprocess.run(cmd, cwd=TRAINER, capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    ev = json_lines(r.stdout)
    start = next(e for e in ev if e["event"] == "start")
    assert start["world_size"] == 2
    assert [e["step"] for e in ev if e["event"] == "step"] == [1]  # rank 0 only reports
    assert (tmp_path / "ddp" / "checkpoints" / f"{model}_00000001.pt").is_file()


def test_waveglow_trains_a_step_and_exports_with_the_voice(synthetic_dataset, tmp_path):
    out = tmp_path / "run"
    r = run_trainer("train", str(synthetic_dataset), "--out", str(out), *FAST, "--steps", "2", "--model", "waveglow")
    assert r.returncode == 0, r.stderr[-2000:]
    r = run_trainer("train", str(synthetic_dataset), "--out", str(out), *FAST, "--steps", "1")
    assert r.returncode == 0, r.stderr[-2000:]
    r = run_trainer("export-voice", str(out), "--out", str(tmp_path / "voice"))
    assert r.returncode == 0, r.stderr[-2000:]
    ev = json_lines(r.stdout)[-1]
    assert ev["event"] == "exported" and ev["waveglow"].endswith("waveglow_00000002.pt")
    assert (tmp_path / "voice" / "waveglow.onnx").is_file()


@pytest.mark.parametrize("case", ["no-metadata", "missing-wav", "resume-empty", "bad-config"])
def test_bad_input_gets_a_clear_error(case, tmp_path, synthetic_dataset):
    ds = tmp_path / "ds"
    if case == "no-metadata":
        ds.mkdir()
        args, expect = ["train", str(ds), "--out", str(tmp_path / "r"), *FAST], "no metadata.csv"
    elif case == "missing-wav":
        write_synthetic_dataset(ds, n=2)
        (ds / "wavs" / "SYN-0001.wav").unlink()
        args, expect = ["train", str(ds), "--out", str(tmp_path / "r"), *FAST], "missing wavs/SYN-0001.wav"
    elif case == "resume-empty":
        args, expect = ["train", str(synthetic_dataset), "--out", str(tmp_path / "r"), "--resume"], "no tacotron2 checkpoint"
    else:
        args, expect = ["train", str(synthetic_dataset), "--out", str(tmp_path / "r"), "--config", "huge"], "not a preset"
    r = run_trainer(*args)
    assert r.returncode == 2
    err = json_lines(r.stdout)[-1]
    assert err["event"] == "error" and err["code"] == "bad-input" and expect in err["message"]


def test_feature_only_dataset_trains_like_the_wavs_and_refuses_another_preset(synthetic_dataset, tmp_path):
    import json

    import numpy as np
    feats = tmp_path / "features"
    r = run_trainer("features", str(synthetic_dataset), "--out", str(feats), "--config", "tiny")
    assert r.returncode == 0, r.stderr[-2000:]
    info = json.loads((feats / "features.json").read_text())
    mels = sorted((feats / "mels").glob("*.npy"))
    assert info["utterances"] == len(mels) > 0 and np.load(mels[0]).dtype == np.float16
    assert not (feats / "wavs").exists()
    r = run_trainer("train", str(feats), "--out", str(tmp_path / "run"), *FAST, "--steps", "2")
    assert r.returncode == 0, r.stderr[-2000:]
    assert [e["step"] for e in json_lines(r.stdout) if e["event"] == "step"] == [1, 2]
    r = run_trainer("train", str(feats), "--out", str(tmp_path / "run2"), *FAST, "--steps", "1", "--set", "mel_preset=seed")
    assert r.returncode == 2 and "another mel preset" in json_lines(r.stdout)[-1]["message"]
    r = run_trainer("train", str(feats), "--out", str(tmp_path / "wg"), *FAST, "--steps", "1", "--model", "waveglow")
    assert r.returncode == 2 and "needs the audio" in json_lines(r.stdout)[-1]["message"]


def test_time_budget_stops_with_a_checkpoint_a_validation_and_a_free_running_sample(synthetic_dataset, tmp_path):
    import numpy as np
    r = run_trainer("train", str(synthetic_dataset), "--out", str(tmp_path / "run"), *FAST, "--steps", "100000",
                    "--set", "validate_every=100000", "--set", "checkpoint_every=100000", "--time-budget", "3")
    assert r.returncode == 0, r.stderr[-2000:]
    ev = json_lines(r.stdout)
    stop = next(e for e in ev if e["event"] == "time_budget")
    assert 0 < stop["step"] < 100000
    assert any(e["event"] == "checkpoint" and e["step"] == stop["step"] for e in ev)
    val = next(e for e in ev if e["event"] == "validation")
    s = val["sample"]
    assert val["step"] == stop["step"] and s["text"] and s["melPreset"] == "nvidia"
    mel = np.load(s["mel"])
    assert mel.shape == (80, s["frames"]) and np.isfinite(mel).all()
    assert ev[-1]["event"] == "done"


def test_rate_meter_leaves_pauses_out_of_the_speed_but_in_the_eta():
    from formant_trainer.train import RateMeter
    now = [0.0]
    m = RateMeter(clock=lambda: now[0], smoothing=0.5)
    for _ in range(4):  # 2 s a batch of 100 frames
        now[0] += 2.0
        m.batch_done(100)
    assert m.steps_per_s == 0.5 and m.frames_per_s == 50.0
    assert m.eta_s(10) == 20.0
    now[0] += 8.0  # a validation: 8 s with no batch
    m.resume()
    now[0] += 2.0
    m.batch_done(100)
    assert m.steps_per_s == 0.5, "the pause must not count as a slow batch"
    # but the ETA keeps it: 18 s of wall for 10 s of batches
    assert abs(m.eta_s(10) - 20.0 * 18 / 10) < 1e-9
    now[0] += 1.0  # a batch of 300 frames in 1 s: frames/s follows the work, not the step count
    m.batch_done(300)
    assert m.dt == 1.5 and m.frames_per_s == 200 / 1.5

