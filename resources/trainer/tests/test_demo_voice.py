"""scripts/demo_voice.py, the shipped demo voice's chunked training: what it records about each chunk."""
from __future__ import annotations

import json
import sys

from conftest import TRAINER

sys.path.insert(0, str(TRAINER / "scripts"))


def test_demo_voice_history_records_chunks(tmp_path):
    """scripts/demo_voice.py: each training chunk lands in history.json (voice.json's provenance.training); a chunk
    that continues the last one with the same settings extends it, different settings start a new entry."""
    import demo_voice
    hp = {"text_frontend": "phonemes", "batch_size": 16, "learning_rate": 1e-3, "max_wav_seconds": 10.5, "length_bucket_pool": 8}
    (tmp_path / "history.json").write_text('[{"steps": [0, 779], "input": "phonemes", "machine": "NVIDIA H200", "batch": 64}]')
    demo_voice.record_chunk(779, 900, hp, "2-core CPU (torch 2.13.0)", str(tmp_path))
    demo_voice.record_chunk(900, 1000, hp, "2-core CPU (torch 2.13.0)", str(tmp_path))
    demo_voice.record_chunk(1000, 1000, hp, "2-core CPU (torch 2.13.0)", str(tmp_path))  # nothing trained: no entry
    h = demo_voice.record_chunk(1000, 1500, {**hp, "learning_rate": 5e-4}, "2-core CPU (torch 2.13.0)", str(tmp_path))
    assert json.loads((tmp_path / "history.json").read_text()) == h
    assert [e["steps"] for e in h] == [[0, 779], [779, 1000], [1000, 1500]]
    assert h[1] == {"steps": [779, 1000], "input": "phonemes", "machine": "2-core CPU (torch 2.13.0)", "batch": 16,
                    "learningRate": 1e-3, "clips": "≤ 10.5 s", "batching": "length buckets"}
    assert h[2]["learningRate"] == 5e-4


def test_packed_metrics_keep_every_tenth_step_and_every_other_event():
    import demo_voice
    lines = [{"event": "step", "step": i, "loss": 1.0 / i} for i in range(1, 41)]
    lines.insert(20, {"event": "validation", "step": 20, "loss": 0.5})
    lines.insert(7, {"event": "warning", "message": "skipped 1 utterance"})
    data = "".join(json.dumps(e) + "\n" for e in lines).encode() + b'{"event": "step", "ste'  # cut by a kill
    thin = demo_voice.thin_metrics(data)
    kept = [json.loads(l) for l in thin.decode().splitlines()]
    assert [e["step"] for e in kept if e["event"] == "step"] == [10, 20, 30, 40]
    assert [e["event"] for e in kept if e["event"] != "step"] == ["warning", "validation"]
    assert demo_voice.thin_metrics(thin) == thin


def test_duration_model_chunks_record_their_batch_and_add_up_their_seconds(tmp_path):
    import demo_voice
    demo_voice.use_model("fastpitch")
    try:
        hp = {"text_frontend": "phonemes", "fp_batch_size": 16, "fp_learning_rate": 1e-3, "max_wav_seconds": 12.0,
              "length_bucket_pool": 8, "batch_size": 8, "learning_rate": 2e-3}
        demo_voice.record_chunk(0, 500, hp, "2-core CPU (torch 2.13.0)", str(tmp_path), seconds=1200.4)
        h = demo_voice.record_chunk(500, 900, hp, "2-core CPU (torch 2.13.0)", str(tmp_path), seconds=600)
        assert h == [{"steps": [0, 900], "input": "phonemes", "machine": "2-core CPU (torch 2.13.0)", "batch": 16,
                      "learningRate": 1e-3, "clips": "≤ 12 s", "batching": "length buckets", "seconds": 1800}]
        assert demo_voice.STATE_DIR.endswith("demo-training") and demo_voice.BUNDLE_DIR.endswith("voices/demo")
    finally:
        demo_voice.use_model("tacotron2")
