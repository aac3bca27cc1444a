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

from .pairs import csr_gather
from .text import _EMPTY
from .threads import release_freed
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

    The chunks' keys are kept as arrays and numbered once at the end (:func:`_merge_keys`),
    by sorting their hashes: no Python object per key (a dict of millions of hashes left
    about 0.4 GB of the interpreter's memory pinned after the stage at 100,000 articles).
    """
    stream = sorted(articles.items()) if isinstance(articles, dict) else articles
    art_ids: list[str] = []
    article_digest: list[bytes] = []
    stem_index: dict[str, int] = {}
    vocab: list[str] = []
    worker_stems: dict[str, np.ndarray] = {}  # per worker: its stem ids -> the corpus's
    nums_index: dict[frozenset, int] = {_EMPTY: 0}
    nums_list: list[frozenset] = [_EMPTY]
    parts: list[_ChunkKeys] = []
    occ_local: list[np.ndarray] = []  # per chunk: its occurrences' keys, numbered over all chunks
    n_local = 0
    occ_claim = array("i")
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
        flat, lens = _sorted_rows(chunk.stem_flat, chunk.stem_off, stem_map)
        parts.append(_ChunkKeys(chunk.key_hash, num_map[chunk.key_nums],
                                num_map[chunk.key_dnums], flat, lens))
        occ_local.append(chunk.occ_local.astype(np.int64) + n_local)
        n_local += len(chunk.key_hash)
        occ_claim.frombytes(chunk.occ_claim.astype(np.int32).tobytes())
        article_len.frombytes(chunk.article_len.astype(np.int32).tobytes())
        base = len(art_ids)
        for k, digest in enumerate(chunk.digests):
            if digest:
                article_text_key[digest].append(base + k)
        art_ids.extend(chunk.art_ids)
        article_digest.extend(chunk.digests)
    del stem_index, nums_index, worker_stems
    release_freed()  # (what the chunks' transient arrays left in the heap)
    keys, local_to_global = _merge_keys(parts, stem_dtype(len(vocab)))
    occ_key = array("i")
    while occ_local:
        occ_key.frombytes(local_to_global[occ_local.pop(0)].tobytes())
    del local_to_global
    index = SentenceIndex(
        art_ids=art_ids,
        key_hash=keys.key_hash,
        vocab=vocab,
        key_off=np.concatenate(([0], np.cumsum(keys.stem_len))).astype(np.int64),
        key_nums=keys.key_nums,
        key_dnums=keys.key_dnums,
        nums_list=nums_list,
        occ_key=occ_key,
        occ_claim=occ_claim,
        article_len=article_len,
        article_text_key=article_text_key,
        article_digest=article_digest,
    )
    return index, keys.stem_flat


@dataclass
class _ChunkKeys:
    """A chunk's keys (or, merged, the corpus's): hashes, number sets (corpus ids) and
    stem rows (corpus stem ids, increasing within a row)."""

    key_hash: np.ndarray  # int64
    key_nums: np.ndarray  # int32
    key_dnums: np.ndarray  # int32
    stem_flat: np.ndarray  # int32 (merged: see stem_dtype)
    stem_len: np.ndarray  # int64, per key


def stem_dtype(n_stems: int) -> np.dtype:
    """The smallest integer type of the flat stem ids: 16 bits for a vocabulary of at
    most 65,536 stems (15,151 in the 100,000-article benchmark corpus: 0.15 GB less
    than 32 bits), else 32."""
    return np.dtype(np.uint16) if n_stems <= 1 << 16 else np.dtype(np.int32)


def _merge_keys(parts: list[_ChunkKeys], dtype: np.dtype) -> tuple[_ChunkKeys, np.ndarray]:
    """The distinct keys of the chunks' keys, in order of first occurrence, each with
    the stems and numbers of that occurrence (stem ids as ``dtype``), and the corpus key
    of every chunk key (numbered over all chunks in order). ``parts`` is emptied as it
    is read."""
    hashes = np.concatenate([p.key_hash for p in parts]) if parts else np.empty(0, np.int64)
    order = np.argsort(hashes, kind="stable")  # equal hashes keep their chunk order
    sorted_hashes = hashes[order]
    first = np.ones(len(order), dtype=bool)
    np.not_equal(sorted_hashes[1:], sorted_hashes[:-1], out=first[1:])
    del sorted_hashes
    rep = order[first]  # per distinct hash, where it occurs first
    is_rep = np.zeros(len(order), dtype=bool)
    is_rep[rep] = True
    number = np.cumsum(is_rep, dtype=np.int64) - 1  # at a first occurrence: its key id
    local_to_global = np.empty(len(order), dtype=np.int32)
    local_to_global[order] = number[rep][np.cumsum(first) - 1]
    del order, first, rep, number
    out_len = 0
    sel_parts: list[np.ndarray] = []
    start = 0
    for p in parts:
        sel = is_rep[start : start + len(p.key_hash)]
        start += len(p.key_hash)
        sel_parts.append(sel)
        out_len += int(p.stem_len[sel].sum())
    flat = np.empty(out_len, dtype=dtype)
    key_hash, key_nums, key_dnums, stem_len = [], [], [], []
    pos = 0
    parts.reverse()
    sel_parts.reverse()
    while parts:  # each chunk's arrays freed once its first occurrences are taken
        p, sel = parts.pop(), sel_parts.pop()
        off = np.concatenate(([0], np.cumsum(p.stem_len)))
        idx, lens = csr_gather(off, np.flatnonzero(sel))
        flat[pos : pos + len(idx)] = p.stem_flat[idx]
        pos += len(idx)
        key_hash.append(p.key_hash[sel])
        key_nums.append(p.key_nums[sel])
        key_dnums.append(p.key_dnums[sel])
        stem_len.append(lens)
        del p
    merged = _ChunkKeys(_cat(key_hash, np.int64), _cat(key_nums, np.int32),
                        _cat(key_dnums, np.int32), flat, _cat(stem_len, np.int64))
    return merged, local_to_global


def _cat(xs: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(xs).astype(dtype, copy=False) if xs else np.empty(0, dtype)


def _sorted_rows(flat: np.ndarray, off: np.ndarray,
                 stem_map: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A chunk's CSR rows with their stem ids mapped to the corpus's and sorted within
    each row (increasing ids: informative_stems and the pair checks rely on it);
    returns the flat ids (int32) and the row lengths."""
    lens = np.diff(off).astype(np.int64)
    if not len(flat):
        return np.empty(0, dtype=np.int32), lens
    ids = stem_map[flat[: off[-1]]]
    owner = np.repeat(np.arange(len(lens), dtype=np.int64), lens)
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
    key_off = key_off.astype(np.int64, copy=False)  # (the index's own array, not a copy)
    inf_len = np.diff(key_off).astype(np.int32)  # (a row holds fewer than 2**31 stems)
    # the rows of the (few) digit stems, counted: no per-stem array of rows
    digits_at = np.flatnonzero(digit[flat])
    digits_of = np.bincount(np.searchsorted(key_off, digits_at, side="right") - 1,
                            minlength=n_keys)
    return InformativeStems(flat, key_off, inf_len, (inf_len - digits_of).astype(np.int32),
                            digit)


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
