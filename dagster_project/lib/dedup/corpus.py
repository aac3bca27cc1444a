"""The corpus as flat arrays: distinct sentences, their stems and numbers, their occurrences.

Flat integer arrays instead of Python objects per sentence: a distinct sentence
is its (hashed) normalised text, its stem ids (CSR: flat + offsets) and
interned number sets; each occurrence is (key, article, position, claim). Each
sentence is tokenised once; its stems and numbers are worked out once per
distinct normalised text.

Nothing here depends on the rest of the corpus: a sentence's informative stems are
its content-word stems (fixed stop words, :mod:`.text`), not minus the corpus's own
frequent words, so a sentence's row never changes when other articles come or go
(what lets :mod:`.incremental` update the clustering from the changed articles).
The key hash is stable across processes (blake2b), so the index kept by a full
run (:mod:`.index`) can be looked up by it.
"""

from __future__ import annotations

import hashlib
import itertools
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np

from .text import _EMPTY
from .tokenise import intern, tokenised


def key_hash(normalised: str) -> int:
    """Stable signed 64-bit hash of a normalised sentence (its key in the index)."""
    return int.from_bytes(blake2b(normalised.encode(), digest_size=8).digest(), "little",
                          signed=True)


def sequence_digest(hashes: Iterable[int]) -> bytes:
    """Digest of an article's sequence of key hashes: articles made of the same sentences
    in the same order share it (exact copies)."""
    return hashlib.md5(array("q", hashes).tobytes()).digest()


@dataclass
class SentenceIndex:
    """Distinct sentences ('keys') and their occurrences, articles in sorted id order."""

    art_ids: list[str]  # sorted article ids; an article is its position here
    key_hash: np.ndarray  # stable hash of each key's normalised text (see key_hash)
    vocab: list[str]  # stem strings by stem id
    key_off: np.ndarray  # CSR offsets of each key's stem ids (the flat array is separate)
    key_nums: np.ndarray  # index into nums_list of each key's numbers
    key_dnums: np.ndarray  # ... and of its distinctive numbers (0: none)
    nums_list: list[frozenset]  # interned number sets; 0 is the empty set
    occ_key: array  # key of each occurrence, article by article, in sentence order
    occ_claim: array  # claim index of each occurrence (-1: similarity only)
    article_len: array  # sentences per article
    article_text_key: dict[bytes, list[int]]  # digest of an article's key sequence -> articles
    article_digest: list[bytes]  # per article, that digest (b"" for no sentences)

    @property
    def n_keys(self) -> int:
        return len(self.key_nums)

    @property
    def n_sentences(self) -> int:
        return len(self.occ_key)


@dataclass
class InformativeStems:
    """Each key's content-word stems (CSR, ids increasing per row)."""

    flat: np.ndarray
    off: np.ndarray
    row_len: np.ndarray  # informative stems per key
    words_len: np.ndarray  # ... of which not digits
    digit: np.ndarray  # per stem id: a number, not a word


Sentences = list[tuple[int | None, str]]


def index_sentences(
    articles: dict[str, Sentences] | Iterable[tuple[str, Sentences]],
    workers: int | None = 1,
    n_articles: int | None = None,
) -> tuple[SentenceIndex, np.ndarray]:
    """The sentence index and the flat stem ids of every key (CSR with ``key_off``).

    ``articles`` is a dict, or a stream of (article_id, sentences) in increasing id
    order: only the index is kept, so a stream read in chunks from the warehouse
    never holds every article's text at once. Chunks of articles are tokenised by
    :mod:`.tokenise` (in ``workers`` processes for a large stream; None: one per core)
    and merged here in order: keys are numbered in order of first occurrence and take
    their stems and numbers from it, whatever the number of workers.
    """
    stream = sorted(articles.items()) if isinstance(articles, dict) else articles
    art_ids: list[str] = []
    key_index: dict[int, int] = {}
    key_hashes = array("q")
    article_digest: list[bytes] = []
    stem_index: dict[str, int] = {}
    vocab: list[str] = []
    worker_stems: dict[str, np.ndarray] = {}  # per worker: its stem ids -> the corpus's
    flat_all = array("i")  # (grown in place: no concatenation doubling it at the end)
    key_off = array("q", [0])
    nums_index: dict[frozenset, int] = {_EMPTY: 0}
    nums_list: list[frozenset] = [_EMPTY]
    key_nums, key_dnums = array("i"), array("i")
    occ_key, occ_claim = array("i"), array("i")
    article_len = array("i")
    article_text_key: dict[bytes, list[int]] = defaultdict(list)  # full-text hash -> articles
    for chunk in tokenised(stream, workers, n_articles):
        if art_ids and chunk.art_ids and chunk.art_ids[0] <= art_ids[-1]:
            raise ValueError(
                f"articles out of order: {chunk.art_ids[0]!r} after {art_ids[-1]!r}")
        for a, b in itertools.pairwise(chunk.art_ids):
            if b <= a:
                raise ValueError(f"articles out of order: {b!r} after {a!r}")
        learned = [intern(stem_index, vocab, t) for t in chunk.new_vocab]
        stem_map = worker_stems[chunk.worker] = np.concatenate((
            worker_stems.get(chunk.worker, np.empty(0, dtype=np.int64)),
            np.array(learned, dtype=np.int64)))
        num_map = np.empty(len(chunk.nums), dtype=np.int32)
        for i, nums in enumerate(chunk.nums):
            num_map[i] = intern(nums_index, nums_list, nums)
        # the chunk's keys: known ones by their hash, new ones numbered in order
        local_to_global = np.empty(len(chunk.key_hash), dtype=np.int32)
        new: list[int] = []
        next_id = len(key_hashes)
        for i, h in enumerate(chunk.key_hash.tolist()):
            g = key_index.get(h)
            if g is None:
                g = key_index[h] = next_id
                next_id += 1
                new.append(i)
            local_to_global[i] = g
        new_rows = np.array(new, dtype=np.int64)
        key_hashes.extend(chunk.key_hash[new_rows].tolist())
        key_nums.extend(num_map[chunk.key_nums[new_rows]].tolist())
        key_dnums.extend(num_map[chunk.key_dnums[new_rows]].tolist())
        flat, lens = _sorted_rows(chunk.stem_flat, chunk.stem_off, new_rows, stem_map)
        flat_all.frombytes(flat.tobytes())
        key_off.extend((key_off[-1] + np.cumsum(lens)).tolist())
        occ_key.frombytes(local_to_global[chunk.occ_local].tobytes())
        occ_claim.frombytes(chunk.occ_claim.astype(np.int32).tobytes())
        article_len.frombytes(chunk.article_len.astype(np.int32).tobytes())
        base = len(art_ids)
        for k, digest in enumerate(chunk.digests):
            if digest:
                article_text_key[digest].append(base + k)
        art_ids.extend(chunk.art_ids)
        article_digest.extend(chunk.digests)
    del key_index, stem_index, nums_index, worker_stems
    index = SentenceIndex(
        art_ids=art_ids,
        key_hash=np.frombuffer(key_hashes, dtype=np.int64).copy(),
        vocab=vocab,
        key_off=np.frombuffer(key_off, dtype=np.int64).copy(),
        key_nums=np.frombuffer(key_nums, dtype=np.int32).copy(),
        key_dnums=np.frombuffer(key_dnums, dtype=np.int32).copy(),
        nums_list=nums_list,
        occ_key=occ_key,
        occ_claim=occ_claim,
        article_len=article_len,
        article_text_key=article_text_key,
        article_digest=article_digest,
    )
    return index, np.frombuffer(flat_all, dtype=np.int32)


def _sorted_rows(flat: np.ndarray, off: np.ndarray, rows: np.ndarray,
                 stem_map: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR rows ``rows`` of a chunk with their stem ids mapped to the corpus's and
    sorted within each row (increasing ids: informative_stems and the pair checks rely
    on it); returns the flat ids (int32) and the row lengths."""
    if not len(rows):
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int64)
    starts = off[rows]
    lens = off[rows + 1] - starts
    out_starts = np.cumsum(lens) - lens
    idx = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(out_starts - starts, lens)
    ids = stem_map[flat[idx]]
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lens)
    codes = owner * np.int64(1 << 32) + ids
    codes.sort()
    return (codes & np.int64((1 << 32) - 1)).astype(np.int32), lens


def informative_stems(index: SentenceIndex, flat: np.ndarray) -> InformativeStems:
    """Each key's stems as CSR rows with their lengths and digit flags.

    Every content-word stem counts: no stop words of this corpus (a share of the
    distinct sentences, as before issue 14), so a key's row depends on its text alone.
    Crowded LSH buckets and number keys still link nothing (see candidates), which is
    what keeps words common in one corpus from linking everything.
    """
    n_keys, vocab, key_off = index.n_keys, index.vocab, index.key_off
    digit = np.array([t.isdigit() for t in vocab], dtype=bool)
    inf_len = np.diff(key_off)
    owner = np.repeat(np.arange(n_keys, dtype=np.int32), inf_len)
    words_len = np.bincount(owner[~digit[flat]], minlength=n_keys) if len(flat) else (
        np.zeros(n_keys, dtype=np.int64))
    return InformativeStems(flat, key_off.astype(np.int64), inf_len, words_len, digit)


@dataclass
class Occurrences:
    """Occurrences grouped by key (CSR): the articles, positions and claims of each key."""

    off: np.ndarray  # key k's occurrences are rows off[k]:off[k + 1]
    art: np.ndarray  # article of each row
    pos: np.ndarray  # position of the sentence in its article
    claim: np.ndarray  # claim index (-1: similarity only)
    size: np.ndarray  # occurrences per key


def group_occurrences(index: SentenceIndex) -> Occurrences:
    """The occurrences of ``index`` grouped by key; articles and positions follow from
    the article lengths."""
    n_art, n_sentences = len(index.art_ids), index.n_sentences
    occ_key = np.frombuffer(index.occ_key, dtype=np.int32)
    order = np.argsort(occ_key, kind="stable")
    mem_off = np.concatenate(([0], np.cumsum(np.bincount(occ_key, minlength=index.n_keys))))
    mem_off = mem_off.astype(np.int64)
    art_len = np.frombuffer(index.article_len, dtype=np.int32).astype(np.int64)
    occ_art = np.repeat(np.arange(n_art, dtype=np.int64), art_len)
    mem_art = occ_art[order]
    occ_pos = np.arange(n_sentences, dtype=np.int64) - np.repeat(
        np.cumsum(art_len) - art_len, art_len
    )
    mem_pos = occ_pos.astype(np.int32)[order]
    mem_claim = np.frombuffer(index.occ_claim, dtype=np.int32)[order]
    del order, occ_key, occ_art, occ_pos, art_len
    return Occurrences(mem_off, mem_art, mem_pos, mem_claim, np.diff(mem_off))
