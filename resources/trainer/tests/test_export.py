"""Export: every graph of a voice bundle matches PyTorch within 1e-4 in onnxruntime, a whole decoding loop
through the ONNX graphs equals PyTorch's inference with the same pre-net masks, and voice.json follows
shared/contract/voice.ts."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from formant_trainer.export_onnx import DECODER_INPUTS, DECODER_OUTPUTS, export_voice, load_model, store_weights_fp16
from formant_trainer.frontend import symbol_info, text_to_ids
from formant_trainer.tiny_voice import make_tiny_voice, run_reference_onnx

ort = pytest.importorskip("onnxruntime")


@pytest.fixture(scope="module")
def tiny_voice(tmp_path_factory):
    out = tmp_path_factory.mktemp("voice") / "tiny"
    make_tiny_voice(str(out))
    return out


def test_each_graph_matches_pytorch_within_1e_4(tiny_voice):
    diffs = run_reference_onnx(str(tiny_voice))
    assert {k.split(".")[0] for k in diffs} == {"encoder", "decoder_step", "postnet", "waveglow"}
    worst = max(diffs, key=diffs.get)
    assert diffs[worst] < 1e-4, f"{worst}: {diffs[worst]}"


def test_graph_io_names_follow_the_interface(tiny_voice):
    dec = ort.InferenceSession(str(tiny_voice / "decoder_step.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in dec.get_inputs()] == DECODER_INPUTS
    assert [o.name for o in dec.get_outputs()] == DECODER_OUTPUTS
    enc = ort.InferenceSession(str(tiny_voice / "encoder.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in enc.get_inputs()] == ["text"] and enc.get_inputs()[0].type == "tensor(int64)"
    wg = ort.InferenceSession(str(tiny_voice / "waveglow.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in wg.get_inputs()] == ["mel", "z", "sigma"]


def test_voice_json_is_complete(tiny_voice):
    m = json.loads((tiny_voice / "voice.json").read_text(encoding="utf-8"))
    assert m["format"] == "formant-voice" and m["version"] == 1
    assert m["melPreset"]["name"] == "nvidia" and m["melPreset"]["hopLength"] == 256
    sym = symbol_info()
    assert m["text"] == {"cleaners": "english", "symbols": sym.symbols, "padId": sym.pad_id, "eosId": sym.eos_id}
    t2 = m["tacotron2"]
    assert t2["reductionFactor"] == 3 and t2["stopThreshold"] == 0.5 and t2["prenetDropout"] == 0.5
    for f in (t2["encoder"], t2["decoderStep"], t2["postnet"], m["waveglow"]["graph"]):
        assert (tiny_voice / f).is_file()
    assert m["waveglow"]["nGroup"] == 8 and m["waveglow"]["hopLength"] == 256 and m["waveglow"]["sigma"] == 0.6
    assert set(m["provenance"]) == {"dataset", "steps", "date", "trainer", "torch", "weights"}
    assert m["provenance"]["weights"] == "fp32"


def test_onnx_decoding_loop_equals_pytorch_inference(tiny_voice, tmp_path):
    """Free-running decoding, 12 steps, through encoder → decoder_step ×12 → postnet in onnxruntime vs PyTorch."""
    import glob
    # Rebuild the PyTorch model the bundle came from (make_tiny_voice is seeded).
    from formant_trainer.tiny_voice import _untrained_states
    tstate, _ = _untrained_states()
    model, hp = load_model(tstate, "tacotron2")
    model.decoder.max_decoder_steps = 12
    model.decoder.gate_threshold = 2.0  # never stop early: compare a fixed number of steps
    g = torch.Generator().manual_seed(3)
    scale = 1.0 / (1.0 - hp.p_prenet_dropout)
    masks = [[(torch.rand(1, hp.prenet_dim, generator=g) >= 0.5).float() * scale for _ in range(2)] for _ in range(12)]
    text = torch.LongTensor([text_to_ids("printing, in the only sense.")])
    _, mel_post, _, _ = model.inference(text, lambda t: masks[t])

    so = lambda f: ort.InferenceSession(str(tiny_voice / f), providers=["CPUExecutionProvider"])  # noqa: E731
    enc, dec, post = so("encoder.onnx"), so("decoder_step.onnx"), so("postnet.onnx")
    memory, processed = enc.run(None, {"text": text.numpy()})
    t = text.size(1)
    z = lambda *s: np.zeros(s, dtype=np.float32)  # noqa: E731
    state = {"decoder_input": z(1, 80), "attention_hidden": z(1, hp.attention_rnn_dim), "attention_cell": z(1, hp.attention_rnn_dim),
             "decoder_hidden": z(1, hp.decoder_rnn_dim), "decoder_cell": z(1, hp.decoder_rnn_dim), "attention_weights": z(1, t),
             "attention_weights_cum": z(1, t), "attention_context": z(1, hp.encoder_embedding_dim)}
    frames = []
    for step in range(12):
        outs = dict(zip(DECODER_OUTPUTS, dec.run(None, {**state, "memory": memory, "processed_memory": processed,
                                                         "prenet_mask1": masks[step][0].numpy(), "prenet_mask2": masks[step][1].numpy()})))
        frames.append(outs["mel_frames"][0])
        state = {k: outs[k + "_out"] for k in state}
    mel = np.concatenate(frames, 0).T[None]
    onnx_post = post.run(None, {"mel": mel.astype(np.float32)})[0]
    assert onnx_post.shape == tuple(mel_post.shape)
    assert np.max(np.abs(onnx_post - mel_post.numpy())) < 1e-4


def test_export_from_a_run_without_checkpoints_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no Tacotron-2 or FastPitch checkpoint"):
        export_voice(str(tmp_path), str(tmp_path / "voice"))
    with pytest.raises(FileNotFoundError, match="no FastPitch checkpoint"):
        export_voice(str(tmp_path), str(tmp_path / "voice"), acoustic="fastpitch")


def test_fp16_weights_halve_the_graphs_and_stay_close_to_fp32(tiny_voice, tmp_path):
    import shutil
    rng = np.random.default_rng(0)
    for graph in ("postnet.onnx", "decoder_step.onnx"):
        half = tmp_path / graph
        shutil.copyfile(tiny_voice / graph, half)
        r = store_weights_fp16(str(half))
        assert r["casts"] > 0 and r["bytes_after"] < 0.6 * r["bytes_before"], r
        full = ort.InferenceSession(str(tiny_voice / graph), providers=["CPUExecutionProvider"])
        small = ort.InferenceSession(str(half), providers=["CPUExecutionProvider"])
        assert [i.name for i in small.get_inputs()] == [i.name for i in full.get_inputs()]
        feeds = {}
        for i in full.get_inputs():
            shape = [d if isinstance(d, int) else 9 for d in i.shape]
            feeds[i.name] = (rng.random(shape) > 0.5).astype(np.float32) * 2 if i.name.startswith("prenet_mask") else \
                rng.standard_normal(shape).astype(np.float32)
        if "attention_weights" in feeds:  # a valid attention state: non-negative, sums to 1
            feeds["attention_weights"] = np.full((1, 9), 1 / 9, dtype=np.float32)
            feeds["attention_weights_cum"] = feeds["attention_weights"].copy()
        for a, b in zip(full.run(None, feeds), small.run(None, feeds)):
            assert np.allclose(a, b, rtol=1e-2, atol=1e-2), float(np.max(np.abs(a - b)))
            assert a.dtype == b.dtype == np.float32
