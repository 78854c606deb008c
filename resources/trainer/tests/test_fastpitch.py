"""The duration model (fastpitch.py, mas.py, pitch.py): alignment search against brute force, the alignment prior and
loss, pitch of known tones, length regulation; training end to end (loss falls on real speech, time budget, resume,
feature-only datasets), export to one ONNX graph equal to PyTorch, pace and pitch shift doing what they say."""
from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import torch

from conftest import json_lines, run_trainer

TINY = ["--config", "tiny", "--model", "fastpitch"]


def _paths(t: int, n: int):
    """Every monotonic alignment of t frames to n symbols (each symbol ≥ 1 frame): the frame counts per symbol."""
    for cuts in itertools.combinations(range(1, t), n - 1):
        bounds = (0, *cuts, t)
        yield [bounds[i + 1] - bounds[i] for i in range(n)]


def test_alignment_search_finds_the_best_monotonic_path_of_every_clip_in_a_batch():
    from formant_trainer.mas import monotonic_alignment_search
    rng = np.random.default_rng(3)
    lengths = [(7, 3), (5, 5), (8, 4), (6, 1)]  # (frames, symbols), padded into one batch
    t_max, n_max = 8, 5
    logp = np.log(rng.dirichlet(np.ones(n_max), size=(len(lengths), t_max)))
    hard = monotonic_alignment_search(logp, np.array([n for _, n in lengths]), np.array([t for t, _ in lengths]))
    for b, (t, n) in enumerate(lengths):
        h = hard[b]
        assert h[:t, :n].sum(1).tolist() == [1.0] * t and h.sum() == t  # one symbol per frame, nothing in the padding
        durations = h[:t, :n].sum(0).astype(int).tolist()
        best = max(_paths(t, n), key=lambda d: sum(logp[b, f, s] for f, s in enumerate(np.repeat(np.arange(n), d))))
        assert durations == best, (b, durations, best)


def test_alignment_prior_walks_the_diagonal_and_the_forward_sum_loss_prefers_it():
    from formant_trainer.mas import beta_binomial_prior, forward_sum_loss
    prior = beta_binomial_prior(10, 60)
    assert prior.shape == (60, 10) and torch.allclose(prior.sum(1), torch.ones(60), atol=1e-5)
    peaks = prior.argmax(1)
    assert peaks[0] == 0 and peaks[-1] == 9 and bool((peaks[1:] >= peaks[:-1]).all())
    t, n = 40, 8
    diag = torch.full((1, t, n), -8.0)
    anti = torch.full((1, t, n), -8.0)
    for f in range(t):
        diag[0, f, f * n // t] = 0.0
        anti[0, f, n - 1 - f * n // t] = 0.0
    lens_t, lens_m = torch.tensor([n]), torch.tensor([t])
    assert forward_sum_loss(diag, lens_t, lens_m) < forward_sum_loss(anti, lens_t, lens_m) - 1.0


def test_pitch_of_a_tone_is_its_fundamental_and_silence_is_unvoiced():
    from formant_trainer.pitch import yin_f0
    rate, hop = 22050, 256
    t = np.arange(rate) / rate
    for f0 in (98.0, 150.0, 240.0):
        tone = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6)) * 0.3
        x = np.concatenate([np.zeros(rate // 2), tone, np.zeros(rate // 2)])
        frames = 1 + len(x) // hop
        f = yin_f0(x, rate, hop, frames)
        mid = f[int(0.7 * rate / hop):int(1.3 * rate / hop)]
        assert np.all(mid > 0) and abs(np.median(mid) / f0 - 1) < 0.01, (f0, np.median(mid))
        assert np.all(f[:int(0.4 * rate / hop)] == 0) and np.all(f[-int(0.4 * rate / hop):] == 0)


def test_length_regulation_repeats_each_symbol_for_its_frames_and_averages_back():
    from formant_trainer.fastpitch import average_per_symbol, length_regulate
    x = torch.tensor([[[1.0, 2.0, 3.0, 0.0]]])  # [1, 1, 4]: symbol 4 is padding
    durations = torch.tensor([[2, 0, 3, 0]])
    out, pos, mask = length_regulate(x, durations)
    assert out[0, 0].tolist() == [1, 1, 3, 3, 3] and mask.all()
    assert pos[0, 0].tolist() == pytest.approx([0, 0.5, 0, 1 / 3, 2 / 3])
    values = torch.tensor([[1.0, 3.0, 0.0, 5.0, 7.0]])
    voiced = torch.tensor([[1.0, 1.0, 0.0, 1.0, 1.0]])
    assert average_per_symbol(values, durations, voiced)[0].tolist() == [2.0, 0.0, 6.0, 0.0]


def _tiny_run(dataset, tmp_path, *extra, steps=3):
    r = run_trainer("train", str(dataset), "--out", str(tmp_path / "run"), *TINY, "--steps", str(steps), *extra)
    assert r.returncode == 0, r.stderr[-3000:]
    return json_lines(r.stdout)


def test_training_validates_with_a_learned_alignment_and_a_free_running_sample(synthetic_dataset, tmp_path):
    ev = _tiny_run(synthetic_dataset, tmp_path, "--set", "validate_every=2", steps=2)
    assert any(e["event"] == "warning" and "minutes of speech to train on" in e["message"] for e in ev)  # 5 s of tones
    step = next(e for e in ev if e["event"] == "step")
    assert set(step["losses"]) == {"total", "mel", "duration", "pitch", "energy", "align", "bin"}
    val = next(e for e in ev if e["event"] == "validation")
    assert val["alignment"] and {"focus", "aligned"} <= set(val["alignment"][0]) and np.isfinite(val["mel_mse"])
    mel = np.load(val["sample"]["mel"])
    assert mel.shape == (80, val["sample"]["frames"]) and val["sample"]["frames"] > 0
    run = json.loads((tmp_path / "run" / "run.json").read_text())["fastpitch"]["hparams"]
    assert run["fp_pitch_std"] > 0 and run["fp_energy_std"] > 0  # measured on the training set, kept with the run


def test_loss_falls_clearly_on_real_speech(lj_small, tmp_path):
    r = run_trainer("train", str(lj_small), "--out", str(tmp_path / "run"), *TINY, "--steps", "80",
                    "--set", "validate_every=1000", "--set", "checkpoint_every=1000", "--set", "fp_learning_rate=0.003",
                    "--set", "fp_warmup_steps=10", timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    mel = [e["losses"]["mel"] for e in json_lines(r.stdout) if e["event"] == "step"]
    assert np.mean(mel[-10:]) < 0.6 * np.mean(mel[:5]), (mel[:5], mel[-10:])


def test_time_budget_then_resume_keeps_the_step_and_the_statistics(synthetic_dataset, tmp_path):
    ev = _tiny_run(synthetic_dataset, tmp_path, "--set", "validate_every=100000", "--set", "checkpoint_every=100000",
                   "--time-budget", "2", steps=100000)
    stop = next(e for e in ev if e["event"] == "time_budget")
    assert any(e["event"] == "checkpoint" and e["step"] == stop["step"] for e in ev)
    assert any(e["event"] == "validation" and e["step"] == stop["step"] for e in ev)
    before = json.loads((tmp_path / "run" / "run.json").read_text())["fastpitch"]["hparams"]["fp_pitch_mean"]
    r = run_trainer("train", str(synthetic_dataset), "--out", str(tmp_path / "run"), "--model", "fastpitch", "--resume",
                    "--steps", str(stop["step"] + 2))
    assert r.returncode == 0, r.stderr[-3000:]
    ev = json_lines(r.stdout)
    assert next(e for e in ev if e["event"] == "resumed")["step"] == stop["step"]
    assert [e["step"] for e in ev if e["event"] == "step"] == [stop["step"] + 1, stop["step"] + 2]
    assert json.loads((tmp_path / "run" / "run.json").read_text())["fastpitch"]["hparams"]["fp_pitch_mean"] == before


def test_feature_only_dataset_carries_pitch_and_trains_the_duration_model(synthetic_dataset, tmp_path):
    feats = tmp_path / "features"
    r = run_trainer("features", str(synthetic_dataset), "--out", str(feats), "--config", "tiny")
    assert r.returncode == 0, r.stderr[-2000:]
    assert len(list((feats / "pitch").glob("*.npy"))) == len(list((feats / "mels").glob("*.npy"))) > 0
    _tiny_run(feats, tmp_path, steps=2)
    for p in (feats / "pitch").glob("*.npy"):
        p.unlink()
    r = run_trainer("train", str(feats), "--out", str(tmp_path / "run2"), *TINY, "--steps", "1")
    assert r.returncode == 2 and "has no pitch" in json_lines(r.stdout)[-1]["message"]


def test_export_is_one_graph_equal_to_pytorch_with_pace_and_pitch_controls(synthetic_dataset, tmp_path):
    import onnxruntime as ort
    from formant_trainer import checkpoint as ckpt
    from formant_trainer.export_onnx import load_model
    _tiny_run(synthetic_dataset, tmp_path, steps=3)
    voice = tmp_path / "voice"
    r = run_trainer("export-voice", str(tmp_path / "run"), "--out", str(voice))
    assert r.returncode == 0, r.stderr[-2000:]
    assert json_lines(r.stdout)[-1]["acoustic"] == "fastpitch"
    manifest = json.loads((voice / "voice.json").read_text())
    assert manifest["tacotron2"] is None and manifest["fastpitch"]["graph"] == "fastpitch.onnx"
    assert sorted(p.name for p in voice.glob("*.onnx")) == ["fastpitch.onnx"]
    state, _ = ckpt.latest_loadable(str(tmp_path / "run"), "fastpitch")
    model, _ = load_model(state, "fastpitch")
    torch.nn.init.constant_(model.duration_predictor.proj.bias, float(np.log(6.0)))  # ~5 frames a symbol, trained or not
    from formant_trainer.export_onnx import export_fastpitch
    export_fastpitch(model, str(voice))
    sess = ort.InferenceSession(str(voice / "fastpitch.onnx"), providers=["CPUExecutionProvider"])
    text = torch.randint(1, model.hp.n_symbols, (1, 23))
    frames = {}
    for pace, shift in ((1.0, 0.0), (2.0, 0.0), (1.0, 4.0), (0.7, -3.0)):
        with torch.no_grad():
            mel, dur = model.infer(text, torch.tensor([pace]), torch.tensor([shift]))
        o_mel, o_dur = sess.run(["mel", "durations"], {"text": text.numpy(), "pace": np.array([pace], np.float32),
                                                       "pitch_shift": np.array([shift], np.float32)})
        assert o_dur.tolist() == dur.tolist() and o_mel.shape == tuple(mel.shape)
        assert np.abs(o_mel - mel.numpy()).max() < 1e-4
        frames[(pace, shift)] = o_mel
    assert abs(frames[(2.0, 0.0)].shape[2] / frames[(1.0, 0.0)].shape[2] - 0.5) < 0.1  # pace 2: half the frames
    assert frames[(1.0, 4.0)].shape == frames[(1.0, 0.0)].shape
    assert np.abs(frames[(1.0, 4.0)] - frames[(1.0, 0.0)]).max() > 1e-3  # pitch shift changes the spectrum


def test_a_run_with_both_acoustic_models_asks_which_to_export(synthetic_dataset, tmp_path):
    _tiny_run(synthetic_dataset, tmp_path, steps=1)
    r = run_trainer("train", str(synthetic_dataset), "--out", str(tmp_path / "run"), "--config", "tiny", "--steps", "1")
    assert r.returncode == 0, r.stderr[-2000:]
    r = run_trainer("export-voice", str(tmp_path / "run"), "--out", str(tmp_path / "voice"))
    assert r.returncode != 0 and "--acoustic" in json_lines(r.stdout)[-1]["message"]
    r = run_trainer("export-voice", str(tmp_path / "run"), "--out", str(tmp_path / "voice"), "--acoustic", "tacotron2")
    assert r.returncode == 0 and json.loads((tmp_path / "voice" / "voice.json").read_text()).get("fastpitch") is None


def test_a_clip_whose_transcript_is_another_sentence_or_misses_words_is_flagged_with_its_reason():
    # the numbers of a real case: the demo run at step 2000 on 40 LJSpeech clips, one given another sentence's text
    # (loss 5.2 against ~2.2), one missing its last 30 % of words (its last sound held 86 frames, clips' longest ~31)
    from formant_trainer.fastpitch import flag_misaligned
    scores = [{"id": f"c{i}", "loss": 2.0 + 0.1 * (i % 7), "longest": 24 + 2 * (i % 9)} for i in range(40)]
    scores += [{"id": "other-sentence", "loss": 5.2, "longest": 42}, {"id": "words-missing", "loss": 2.6, "longest": 86}]
    out = {s["id"]: s for s in flag_misaligned(scores)}
    assert [k for k, s in out.items() if s["flagged"]] == ["other-sentence", "words-missing"]
    assert out["other-sentence"]["reasons"] == ["the transcript as a whole does not match the audio"]
    assert "86 frames" in out["words-missing"]["reasons"][0] and out["c3"]["reasons"] == []


def test_validation_writes_every_clips_alignment_score(synthetic_dataset, tmp_path):
    ev = _tiny_run(synthetic_dataset, tmp_path, "--set", "validate_every=2", "--set", "fp_bin_loss_start=0", steps=2)
    val = next(e for e in ev if e["event"] == "validation")
    report = json.loads((tmp_path / "run" / "alignment_report.json").read_text())
    assert report["step"] == 2 and report["settled"] and val["misaligned"] == report["flagged"]
    assert sorted(c["id"] for c in report["clips"]) == sorted(l.split("|")[0] for l in (synthetic_dataset / "metadata.csv").read_text().splitlines())
    assert all(np.isfinite(c["loss"]) and 0 < c["focus"] <= 1 and c["longest"] >= 1 and "reasons" in c for c in report["clips"])


def test_every_symbol_gets_at_least_one_frame_even_when_the_model_predicts_none():
    from formant_trainer.fastpitch import FastPitch
    from formant_trainer.hparams import load_hparams
    hp = load_hparams("tiny", {"n_symbols": 40, "fp_pitch_std": 0.2, "fp_energy_std": 1.0})
    model = FastPitch(hp).eval()
    torch.nn.init.constant_(model.duration_predictor.proj.bias, -5.0)  # exp(-5) - 1 < 0 frames
    with torch.no_grad():
        mel, durations = model.infer(torch.randint(1, 40, (1, 12)), torch.tensor([3.0]), torch.tensor([0.0]))
    assert durations.min() >= 1 and mel.shape[2] == int(durations.sum()) == 12
