"""audio.py reproduces the shared mel test vectors (shared/dsp/testvectors, produced by the TypeScript-side
reference) within 1e-4, for both presets, and mirrors shared/dsp/melPresets.ts field for field."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from conftest import REPO
from formant_trainer import audio

VECTORS = REPO / "shared" / "dsp" / "testvectors"


def _vectors():
    if not VECTORS.is_dir():
        return []
    return sorted(VECTORS.glob("*.npy"))


@pytest.mark.parametrize("npy", _vectors(), ids=lambda p: p.name)
def test_mel_matches_shared_test_vectors(npy):
    fixture, preset = npy.name.split(".")[:2]
    x, rate = audio.load_wav(str(VECTORS / f"{fixture}.wav"))
    assert rate == audio.get_preset(preset)["sampleRate"]
    expected = np.load(npy)
    got = audio.mel_spectrogram(x, preset)
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) < 1e-4


def test_test_vectors_are_present():
    assert len(_vectors()) >= 4, f"expected the mel test vectors in {VECTORS}"


def test_presets_mirror_typescript():
    """Every numeric/string field of MEL_PRESETS in melPresets.ts equals the Python mirror."""
    ts = (REPO / "shared" / "dsp" / "melPresets.ts").read_text(encoding="utf-8")
    for name, p in audio.PRESETS.items():
        block = ts[ts.index(f"  {name}: {{"):]
        block = block[:block.index("\n  },")]
        for key in ("sampleRate", "nFft", "winLength", "hopLength", "nMels", "fmin", "fmax", "magnitudePower", "preemphasis"):
            m = re.search(rf"\b{key}: ([0-9.e-]+)", block)
            assert m and float(m.group(1)) == float(p[key]), f"{name}.{key}"
        for key in ("padMode", "melScale", "melNorm"):
            m = re.search(rf"\b{key}: '([a-z]+)'", block)
            assert m and m.group(1) == p[key], f"{name}.{key}"
        assert f"type: '{p['compression']['type']}'" in block


def test_sine_peaks_in_the_right_mel_band():
    p = audio.get_preset("nvidia")
    t = np.arange(22050) / 22050
    mel = audio.mel_spectrogram(0.5 * np.sin(2 * np.pi * 1000 * t), "nvidia")
    centers = audio.mel_to_hz(np.linspace(audio.hz_to_mel(0, False), audio.hz_to_mel(8000, False), p["nMels"] + 2), False)[1:-1]
    band = int(np.argmax(mel[:, mel.shape[1] // 2]))
    assert abs(centers[band] - 1000) < 60


def test_trim_silence_keeps_speech_and_drops_pads():
    rate = 22050
    x = np.concatenate([np.zeros(rate // 2), 0.3 * np.sin(np.arange(rate) * 0.1), np.zeros(rate // 2)])
    y = audio.trim_silence(x, rate, keep_seconds=0.05)
    assert rate <= len(y) < rate + 0.2 * rate


def test_bad_sample_rate_is_a_clear_error(tmp_path):
    import soundfile as sf
    sf.write(tmp_path / "a.wav", np.zeros(1600, dtype=np.float32), 16000)
    with pytest.raises(ValueError, match="16000 Hz"):
        audio.load_wav(str(tmp_path / "a.wav"), 22050)
