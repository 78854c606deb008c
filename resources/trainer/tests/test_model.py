"""Model structure: NVIDIA-compatible parameter names/shapes, forward shapes for r = 1 and r > 1,
guided attention, WaveGlow invertibility, and loading NVIDIA-layout WaveGlow state dicts."""
from __future__ import annotations

import pytest
import torch

from formant_trainer import checkpoint as ckpt
from formant_trainer.hparams import load_hparams
from formant_trainer.model import Tacotron2, Tacotron2Loss, guided_attention_loss
from formant_trainer.waveglow import WaveGlow, WaveGlowLoss


def nvidia_tacotron2_shapes() -> dict:
    """Key → shape of NVIDIA/tacotron2's published tacotron2_statedict.pt (hparams.py defaults, 148 symbols)."""
    s = {"embedding.weight": (148, 512)}
    for i in range(3):
        s[f"encoder.convolutions.{i}.0.conv.weight"] = (512, 512, 5)
        s[f"encoder.convolutions.{i}.0.conv.bias"] = (512,)
        for b in ("weight", "bias", "running_mean", "running_var"):
            s[f"encoder.convolutions.{i}.1.{b}"] = (512,)
        s[f"encoder.convolutions.{i}.1.num_batches_tracked"] = ()
    for sfx in ("", "_reverse"):
        s[f"encoder.lstm.weight_ih_l0{sfx}"] = (1024, 512)
        s[f"encoder.lstm.weight_hh_l0{sfx}"] = (1024, 256)
        s[f"encoder.lstm.bias_ih_l0{sfx}"] = (1024,)
        s[f"encoder.lstm.bias_hh_l0{sfx}"] = (1024,)
    s["decoder.prenet.layers.0.linear_layer.weight"] = (256, 80)
    s["decoder.prenet.layers.1.linear_layer.weight"] = (256, 256)
    s["decoder.attention_rnn.weight_ih"] = (4096, 768)
    s["decoder.attention_rnn.weight_hh"] = (4096, 1024)
    s["decoder.attention_rnn.bias_ih"] = (4096,)
    s["decoder.attention_rnn.bias_hh"] = (4096,)
    s["decoder.attention_layer.query_layer.linear_layer.weight"] = (128, 1024)
    s["decoder.attention_layer.memory_layer.linear_layer.weight"] = (128, 512)
    s["decoder.attention_layer.v.linear_layer.weight"] = (1, 128)
    s["decoder.attention_layer.location_layer.location_conv.conv.weight"] = (32, 2, 31)
    s["decoder.attention_layer.location_layer.location_dense.linear_layer.weight"] = (128, 32)
    s["decoder.decoder_rnn.weight_ih"] = (4096, 1536)
    s["decoder.decoder_rnn.weight_hh"] = (4096, 1024)
    s["decoder.decoder_rnn.bias_ih"] = (4096,)
    s["decoder.decoder_rnn.bias_hh"] = (4096,)
    s["decoder.linear_projection.linear_layer.weight"] = (80, 1536)
    s["decoder.linear_projection.linear_layer.bias"] = (80,)
    s["decoder.gate_layer.linear_layer.weight"] = (1, 1536)
    s["decoder.gate_layer.linear_layer.bias"] = (1,)
    chans = [(512, 80)] + [(512, 512)] * 3 + [(80, 512)]
    for i, (cout, cin) in enumerate(chans):
        s[f"postnet.convolutions.{i}.0.conv.weight"] = (cout, cin, 5)
        s[f"postnet.convolutions.{i}.0.conv.bias"] = (cout,)
        for b in ("weight", "bias", "running_mean", "running_var"):
            s[f"postnet.convolutions.{i}.1.{b}"] = (cout,)
        s[f"postnet.convolutions.{i}.1.num_batches_tracked"] = ()
    return s


def test_default_tacotron2_has_nvidia_names_and_shapes_and_loads_their_state_dict():
    hp = load_hparams("default").replace(n_symbols=148)
    model = Tacotron2(hp)
    ours = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    expected = nvidia_tacotron2_shapes()
    assert ours == expected
    # A file shaped like NVIDIA's (tacotron2_statedict.pt: {'state_dict', 'optimizer', 'iteration', …}) loads strictly.
    g = torch.Generator().manual_seed(0)
    sd = {k: (torch.randn(*shp, generator=g) if shp else torch.tensor(3)) for k, shp in expected.items()}
    nvidia_file = {"state_dict": sd, "iteration": 12345, "learning_rate": 1e-3}
    model.load_state_dict(ckpt.extract_state_dict(nvidia_file), strict=True)
    assert torch.equal(model.decoder.attention_rnn.weight_ih, sd["decoder.attention_rnn.weight_ih"])
    # Warm start into a model with another symbol table keeps everything but the embedding.
    other = Tacotron2(hp.replace(n_symbols=60))
    report = ckpt.warm_start(other, nvidia_file)
    assert report["skipped"] == ["embedding.weight"]
    assert torch.equal(other.postnet.convolutions[4][0].conv.weight, sd["postnet.convolutions.4.0.conv.weight"])


def _batch(hp, b=2, t_in=(9, 6), frames=(14, 10)):
    text = torch.zeros(b, max(t_in), dtype=torch.long)
    for i, n in enumerate(t_in):
        text[i, :n] = torch.randint(1, hp.n_symbols, (n,))
    r = hp.n_frames_per_step
    f = max(frames) + (-max(frames)) % r
    mels = torch.randn(b, hp.n_mel_channels, f)
    return text, torch.LongTensor(t_in), mels, torch.LongTensor(frames)


def test_forward_shapes_and_padding_mask_for_r_1_and_3():
    for r in (1, 3):
        hp = load_hparams("tiny").replace(n_symbols=40, n_frames_per_step=r)
        model = Tacotron2(hp)
        text, tl, mels, ml = _batch(hp)
        mel_out, mel_post, gate, align = model(text, tl, mels, ml)
        steps = mels.size(2) // r
        assert mel_out.shape == mels.shape and mel_post.shape == mels.shape
        assert gate.shape == (2, steps) and align.shape == (2, steps, 9)
        assert torch.all(mel_post[1, :, 10:] == 0)  # padding masked
        assert torch.allclose(align[1, :, 6:], torch.zeros_like(align[1, :, 6:]))  # no attention on padded symbols
        assert torch.allclose(align.sum(-1), torch.ones(2, steps), atol=1e-5)
        loss, parts = Tacotron2Loss(hp)((mel_out, mel_post, gate, align), (mels, torch.zeros(2, steps)), tl, ml, 0)
        loss.backward()
        assert set(parts) >= {"mel", "gate", "guided_attention", "total"}
        assert model.embedding.weight.grad is not None


def test_l1_plus_mse_adds_the_l1_of_both_mels_and_keeps_mel_as_the_mse():
    hp = load_hparams("tiny").replace(n_symbols=40, n_frames_per_step=2)
    torch.manual_seed(0)
    model = Tacotron2(hp)
    text, tl, mels, ml = _batch(hp)
    outputs = model(text, tl, mels, ml)
    gate = torch.zeros(2, mels.size(2) // 2)
    _, mse_parts = Tacotron2Loss(hp)(outputs, (mels, gate), tl, ml, 0)
    total, parts = Tacotron2Loss(hp.replace(mel_loss="l1+mse"))(outputs, (mels, gate), tl, ml, 0)
    mel_out, mel_post = outputs[0], outputs[1]
    l1 = (mel_out - mels).abs().mean() + (mel_post - mels).abs().mean()
    assert "mel_l1" not in mse_parts
    assert torch.allclose(parts["mel_l1"], l1)
    assert torch.allclose(parts["mel"], mse_parts["mel"])
    assert torch.allclose(total, mse_parts["total"] + l1)
    with pytest.raises(ValueError, match="mel_loss='l2': expected one of mse, l1\\+mse"):
        load_hparams("tiny", {"mel_loss": "l2"})


def test_guided_attention_prefers_the_diagonal():
    t, n = 20, 10
    diag = torch.zeros(1, t, n)
    for i in range(t):
        diag[0, i, min(n - 1, i * n // t)] = 1
    flat = torch.full((1, t, n), 1.0 / n)
    lens_n, lens_t = torch.LongTensor([n]), torch.LongTensor([t])
    assert guided_attention_loss(diag, lens_n, lens_t, 0.2) < 0.5 * guided_attention_loss(flat, lens_n, lens_t, 0.2)


def test_guided_attention_is_the_off_diagonal_mass_per_step_whatever_the_text_length():
    # all attention on the last symbol while the decoder is at its start: nearly all the mass is off the band
    for n in (10, 100):
        t = 40
        wrong = torch.zeros(1, t, n)
        wrong[0, : t // 4, n - 1] = 1
        wrong[0, t // 4:, 0] = 1
        loss = float(guided_attention_loss(wrong, torch.LongTensor([n]), torch.LongTensor([t]), 0.2))
        assert loss > 0.7, (n, loss)  # the old mean over T×N cells gave < 0.01 at n = 100
        padded = torch.cat([wrong, torch.zeros(1, t, 7)], dim=2)  # padded symbols and steps do not dilute it
        padded = torch.cat([padded, torch.zeros(1, 5, n + 7)], dim=1)
        assert abs(float(guided_attention_loss(padded, torch.LongTensor([n]), torch.LongTensor([t]), 0.2)) - loss) < 1e-6


def test_inference_stops_within_the_step_limit_and_prenet_masks_make_it_deterministic():
    hp = load_hparams("tiny").replace(n_symbols=40, max_decoder_steps_per_symbol=3)
    model = Tacotron2(hp).eval()
    text = torch.randint(1, 40, (1, 8))
    ones = [torch.full((1, hp.prenet_dim), 2.0)] * 2
    a = model.inference(text, lambda t: ones)
    b = model.inference(text, lambda t: ones)
    assert torch.equal(a[1], b[1])
    assert a[0].size(2) <= 8 * 3 * hp.n_frames_per_step


def nvidia_waveglow_shapes(n_mel=80, n_flows=12, n_group=8, early_every=4, early_size=2, n_layers=8, n_channels=256) -> dict:
    s = {"upsample.weight": (n_mel, n_mel, 1024), "upsample.bias": (n_mel,)}
    n_half, n_rem = n_group // 2, n_group
    for k in range(n_flows):
        if k % early_every == 0 and k > 0:
            n_half -= early_size // 2
            n_rem -= early_size
        s[f"convinv.{k}.conv.weight"] = (n_rem, n_rem, 1)
        p = f"WN.{k}."
        s[p + "start.bias"], s[p + "start.weight_g"], s[p + "start.weight_v"] = (n_channels,), (n_channels, 1, 1), (n_channels, n_half, 1)
        s[p + "end.weight"], s[p + "end.bias"] = (2 * n_half, n_channels, 1), (2 * n_half,)
        s[p + "cond_layer.bias"] = (2 * n_channels * n_layers,)
        s[p + "cond_layer.weight_g"] = (2 * n_channels * n_layers, 1, 1)
        s[p + "cond_layer.weight_v"] = (2 * n_channels * n_layers, n_mel * n_group, 1)
        for i in range(n_layers):
            s[p + f"in_layers.{i}.bias"] = (2 * n_channels,)
            s[p + f"in_layers.{i}.weight_g"] = (2 * n_channels, 1, 1)
            s[p + f"in_layers.{i}.weight_v"] = (2 * n_channels, n_channels, 3)
            rs = 2 * n_channels if i < n_layers - 1 else n_channels
            s[p + f"res_skip_layers.{i}.bias"] = (rs,)
            s[p + f"res_skip_layers.{i}.weight_g"] = (rs, 1, 1)
            s[p + f"res_skip_layers.{i}.weight_v"] = (rs, n_channels, 1)
    return s


def test_default_waveglow_has_nvidia_names_and_shapes():
    model = WaveGlow(load_hparams("default"))
    ours = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert ours == nvidia_waveglow_shapes()


def test_old_nvidia_waveglow_layout_with_per_layer_cond_layers_converts():
    hp = load_hparams("tiny")
    model = WaveGlow(hp)
    sd = model.state_dict()
    old = {k: v for k, v in sd.items() if ".cond_layer." not in k}
    c = hp.wg_n_channels
    for k in range(hp.wg_n_flows):
        for name in ("weight_g", "weight_v", "bias"):
            full = sd[f"WN.{k}.cond_layer.{name}"]
            for i in range(hp.wg_n_layers):
                old[f"WN.{k}.cond_layers.{i}.{name}"] = full[i * 2 * c:(i + 1) * 2 * c]
    fresh = WaveGlow(hp)
    fresh.load_state_dict(ckpt.extract_state_dict({"model": old}), strict=True)
    assert torch.equal(fresh.WN[1].cond_layer.weight_v, model.WN[1].cond_layer.weight_v)


def test_waveglow_inverse_recovers_audio_and_loss_is_finite():
    torch.manual_seed(0)
    hp = load_hparams("tiny")
    model = WaveGlow(hp).eval()
    for wn in model.WN:
        torch.nn.init.normal_(wn.end.weight, 0, 0.05)
    f = 4
    mel = torch.randn(1, 80, f)
    audio = torch.randn(1, f * model.hop_length) * 0.1
    with torch.no_grad():
        z, log_s, log_det = model(mel, audio)
        loss = WaveGlowLoss(1.0)((z, log_s, log_det))
        back = model.infer_with_z(mel, z, torch.tensor([1.0]))
    assert torch.isfinite(loss)
    assert torch.allclose(back, audio, atol=1e-4)


def test_vocode_writes_a_wav_of_the_right_length_with_the_denoiser(tmp_path):
    import numpy as np
    import wave
    from formant_trainer.vocode import vocode
    hp = load_hparams("tiny")
    torch.manual_seed(0)
    model = WaveGlow(hp)
    ckpt.save_checkpoint(str(tmp_path / "wg.pt"), {"model_name": "waveglow", "model": model.state_dict(), "hparams": hp.to_dict()})
    np.save(tmp_path / "mel.npy", np.random.default_rng(0).standard_normal((80, 20)).astype(np.float32) - 5)
    r = vocode(str(tmp_path / "mel.npy"), str(tmp_path / "wg.pt"), str(tmp_path / "out.wav"), denoise=0.05)
    with wave.open(str(tmp_path / "out.wav"), "rb") as w:
        assert w.getframerate() == 22050 and w.getnframes() == 20 * 256 and w.getsampwidth() == 2
    assert r["fp16"] is False  # fp16 only on CUDA
