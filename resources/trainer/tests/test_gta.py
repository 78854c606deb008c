"""Ground-truth-aligned mels (`gta`): frame-aligned with the recordings, the same per clip whatever else is asked,
clear errors for unknown ids and non-Tacotron-2 checkpoints, and the CLI's JSON lines."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from conftest import json_lines, run_trainer
from formant_trainer import checkpoint as ckpt
from formant_trainer.data_utils import DatasetError, MelCache, read_metadata
from formant_trainer.frontend import symbol_info
from formant_trainer.gta import gta_mels
from formant_trainer.hparams import load_hparams
from formant_trainer.model import Tacotron2


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    sym = symbol_info("characters")
    hp = load_hparams("tiny").replace(n_symbols=len(sym.symbols), n_frames_per_step=3)
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("gta") / "tacotron2_00000042.pt"
    ckpt.save_checkpoint(str(path), {"format": "formant-trainer-checkpoint", "model_name": "tacotron2", "step": 42,
                                     "model": Tacotron2(hp).state_dict(), "hparams": hp.to_dict(), "symbols": sym.symbols})
    return path, hp


def test_gta_mels_line_up_with_the_recordings_and_report_their_error(synthetic_dataset, tiny_checkpoint, tmp_path):
    path, hp = tiny_checkpoint
    out = tmp_path / "gta"
    r = gta_mels(str(synthetic_dataset), str(path), str(out))
    utts = read_metadata(str(synthetic_dataset))
    assert [c["id"] for c in r["clips"]] == [u.id for u in utts] and r["step"] == 42
    cache = MelCache(str(tmp_path / "cache"), hp)
    for u, c in zip(utts, r["clips"]):
        real = cache.mel(u)
        gta = np.load(out / f"{u.id}.npy")
        # frame for frame the recording's mel (not a multiple of r, not the free-running length)
        assert gta.shape == real.shape == (hp.n_mel_channels, c["frames"]) and gta.dtype == np.float32
        assert c["mse"] == pytest.approx(float(((gta - real) ** 2).mean()), rel=1e-5)
        assert c["mse_before_postnet"] > 0
    assert json.loads((out / "gta.json").read_text())["clips"] == r["clips"]


def test_a_clip_gets_the_same_mel_alone_as_among_others(synthetic_dataset, tiny_checkpoint, tmp_path):
    path, _ = tiny_checkpoint
    gta_mels(str(synthetic_dataset), str(path), str(tmp_path / "all"))
    gta_mels(str(synthetic_dataset), str(path), str(tmp_path / "one"), ids=["SYN-0003"])
    assert np.array_equal(np.load(tmp_path / "all" / "SYN-0003.npy"), np.load(tmp_path / "one" / "SYN-0003.npy"))
    gta_mels(str(synthetic_dataset), str(path), str(tmp_path / "seed2"), ids=["SYN-0003"], seed=2)
    assert not np.array_equal(np.load(tmp_path / "one" / "SYN-0003.npy"), np.load(tmp_path / "seed2" / "SYN-0003.npy"))


def test_unknown_ids_and_other_checkpoints_are_clear_errors(synthetic_dataset, tiny_checkpoint, tmp_path):
    path, _ = tiny_checkpoint
    with pytest.raises(DatasetError, match="no such id.*NOPE-1"):
        gta_mels(str(synthetic_dataset), str(path), str(tmp_path / "x"), ids=["SYN-0000", "NOPE-1"])
    other = tmp_path / "waveglow_00000001.pt"
    ckpt.save_checkpoint(str(other), {"model_name": "waveglow", "model": {}, "hparams": {}})
    with pytest.raises(DatasetError, match="not a Tacotron-2 checkpoint"):
        gta_mels(str(synthetic_dataset), str(other), str(tmp_path / "y"))


def test_cli_takes_an_id_list_and_prints_json_lines(synthetic_dataset, tiny_checkpoint, tmp_path):
    path, _ = tiny_checkpoint
    ids = tmp_path / "ids.txt"
    ids.write_text("SYN-0001\nSYN-0004\n")
    r = run_trainer("gta", str(synthetic_dataset), "--checkpoint", str(path), "--out", str(tmp_path / "o"), "--ids", str(ids))
    assert r.returncode == 0, r.stderr
    done = json_lines(r.stdout)[-1]
    assert done["event"] == "gta" and done["clips"] == 2 and done["step"] == 42 and done["mse"] > 0
    assert sorted(p.name for p in (tmp_path / "o").glob("*.npy")) == ["SYN-0001.npy", "SYN-0004.npy"]


def test_waveglow_segments_cut_from_gta_mels_match_the_audio_frame_for_frame(synthetic_dataset, tmp_path):
    """With real mels standing in as 'GTA' mels, the cut must equal the segment's own mel away from its edges (where
    the segment's STFT pads by reflection and the clip's sees real neighbours): the frames are where the audio is."""
    from formant_trainer.data_utils import MelAudioDataset
    hp = load_hparams("tiny").replace(wg_segment_length=4096)
    utts = read_metadata(str(synthetic_dataset))
    cache = MelCache(str(tmp_path / "cache"), hp)
    gta = tmp_path / "gta"
    gta.mkdir()
    for u in utts:
        np.save(gta / f"{u.id}.npy", cache.mel(u))
    from formant_trainer import audio
    cut = MelAudioDataset(utts, hp, cache, seed=3, gta_dir=str(gta))
    hop, n_fft = int(cache.preset["hopLength"]), int(cache.preset["nFft"])
    edge = n_fft // (2 * hop) + 1  # frames this close to a segment edge see the segment's reflection padding
    for i in range(len(utts)):
        for _ in range(3):
            mel, x = cut[i]
            assert mel.shape == (hp.n_mel_channels, 1 + cut.segment // hop) and x.shape == (cut.segment,)
            want = audio.mel_spectrogram(x.numpy(), cache.preset)
            assert np.allclose(mel.numpy()[:, edge:-edge], want[:, edge:-edge], atol=1e-4)


def test_waveglow_refuses_missing_or_mismatched_gta_mels(synthetic_dataset, tmp_path):
    from formant_trainer.data_utils import MelAudioDataset
    hp = load_hparams("tiny")
    utts = read_metadata(str(synthetic_dataset))
    cache = MelCache(str(tmp_path / "cache"), hp)
    gta = tmp_path / "gta"
    gta.mkdir()
    with pytest.raises(DatasetError, match="no teacher-forced mel for SYN-0000.*formant_trainer gta"):
        MelAudioDataset(utts, hp, cache, gta_dir=str(gta))
    for u in utts:
        np.save(gta / f"{u.id}.npy", cache.mel(u)[:, :-2])  # made from other audio or trimming
    with pytest.raises(DatasetError, match="made from other audio, trimming or mel preset"):
        MelAudioDataset(utts, hp, cache, gta_dir=str(gta))


def test_cli_trains_waveglow_on_gta_mels_and_resumes_with_them(synthetic_dataset, tiny_checkpoint, tmp_path):
    path, _ = tiny_checkpoint
    gta = tmp_path / "gta"
    r = run_trainer("gta", str(synthetic_dataset), "--checkpoint", str(path), "--out", str(gta))
    assert r.returncode == 0, r.stderr
    run = tmp_path / "run"
    r = run_trainer("train", str(synthetic_dataset), "--out", str(run), "--config", "tiny", "--steps", "1",
                    "--model", "waveglow", "--gta", str(gta))
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads((run / "run.json").read_text())["waveglow"]["gta"] == str(gta)
    (gta / "SYN-0002.npy").unlink()  # resuming without --gta uses the run's GTA mels again: it notices one is gone
    r = run_trainer("train", str(synthetic_dataset), "--out", str(run), "--resume", "--steps", "2", "--model", "waveglow")
    assert r.returncode == 2 and "no teacher-forced mel for SYN-0002" in r.stdout
    r = run_trainer("train", str(synthetic_dataset), "--out", str(tmp_path / "t2"), "--config", "tiny", "--steps", "1",
                    "--gta", str(gta))
    assert r.returncode == 2 and "use it with --model waveglow" in r.stdout
