"""LengthBucketBatchSampler: every clip once per epoch, full batches, less padding than plain shuffling,
reproducible per (seed, epoch), and disjoint equal shares for DDP ranks."""
import random

import pytest

from formant_trainer.data_utils import LengthBucketBatchSampler

# Clip lengths in mel frames shaped like lj-train's (1–10 s at 80 frames/s).
_rng = random.Random(7)
LENGTHS = [_rng.randint(80, 840) for _ in range(300)]


def flat(batches):
    return [i for b in batches for i in b]


def test_each_clip_at_most_once_and_batches_full():
    s = LengthBucketBatchSampler(LENGTHS, 16, pool_batches=8, seed=1)
    batches = list(s)
    assert len(batches) == len(s) == 300 // 16
    assert all(len(b) == 16 for b in batches)
    assert len(set(flat(batches))) == len(flat(batches)) == 16 * (300 // 16)


def test_keep_last_partial_batch_covers_every_clip():
    s = LengthBucketBatchSampler(LENGTHS, 16, seed=1, drop_last=False)
    batches = list(s)
    assert len(batches) == len(s) == 19
    assert sorted(flat(batches)) == list(range(300))


def test_less_padding_than_plain_shuffling():
    def padded(batches):  # what the decoder runs over: every clip padded to its batch's longest
        return sum(len(b) * max(LENGTHS[i] for i in b) for b in batches)

    rng = random.Random(3)
    plain = 0
    bucketed = 0
    for epoch in range(10):
        idx = list(range(300))
        rng.shuffle(idx)
        plain += padded([idx[i:i + 16] for i in range(0, 288, 16)])
        s = LengthBucketBatchSampler(LENGTHS, 16, pool_batches=8, seed=1)
        s.set_epoch(epoch)
        bucketed += padded(list(s))
    assert bucketed < 0.8 * plain


def test_reproducible_per_seed_and_epoch():
    a, b = LengthBucketBatchSampler(LENGTHS, 16, seed=5), LengthBucketBatchSampler(LENGTHS, 16, seed=5)
    assert list(a) == list(b)
    b.set_epoch(1)
    assert list(a) != list(b)
    a.set_epoch(1)
    assert list(a) == list(b)


def test_batches_change_between_epochs_even_when_one_pool_holds_everything():
    s = LengthBucketBatchSampler(LENGTHS, 64, pool_batches=8, seed=1)  # pool of 512 > 300 clips: one global sort
    first = {frozenset(b) for b in s}
    s.set_epoch(1)
    assert {frozenset(b) for b in s} != first


def test_dropped_clips_are_random_not_the_longest():
    dropped = []
    for epoch in range(40):
        s = LengthBucketBatchSampler(LENGTHS, 16, seed=2)
        s.set_epoch(epoch)
        dropped += [LENGTHS[i] for i in set(range(300)) - set(flat(s))]
    mean = sum(LENGTHS) / len(LENGTHS)
    assert len(dropped) == 40 * (300 % 16)
    assert abs(sum(dropped) / len(dropped) - mean) < 0.1 * mean


def test_ddp_ranks_get_disjoint_equal_shares():
    shares = []
    for rank in range(4):
        s = LengthBucketBatchSampler(LENGTHS, 16, seed=1, num_replicas=4, rank=rank)
        s.set_epoch(3)
        shares.append(list(s))
        assert len(shares[-1]) == len(s) == (300 // 16) // 4
    ids = [i for share in shares for i in flat(share)]
    assert len(ids) == len(set(ids))


def test_rejects_empty_batch_size():
    with pytest.raises(ValueError):
        LengthBucketBatchSampler(LENGTHS, 0)
