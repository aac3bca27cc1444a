"""Tokenising the corpus's sentences in chunks of articles, in worker processes when large.

The text stage is pure Python per sentence (tokens, the key hash, stems, numbers) and was
half of a full clustering's time at 100,000 articles, on one core. Each chunk of articles
is tokenised on its own (:func:`tokenise_chunk`): its distinct sentences (keys) in order
of first occurrence, their stems as ids of the worker's own vocabulary, their numbers,
and every occurrence as an index into the chunk's keys. :mod:`.corpus` merges the chunks
in order, so the result does not depend on how many processes tokenised them.

A worker keeps its vocabulary (and its token -> stem cache) from one chunk to the next
of the same job and sends only the stems it learned in each chunk; the merge keeps one
map per worker from its stem ids to the corpus's. A worker processes its chunks in
submission order, which is the order the merge reads them in, so every stem id a chunk
uses was sent with that chunk or an earlier one of the same worker.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import uuid
from array import array
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np

from .text import _EMPTY, distinctive_numbers, numbers_of_words, stem, words
from .threads import workers as default_workers


def intern(index: dict, values: list, item) -> int:
    """The number of ``item`` in ``values``, appending it (and indexing it) when new."""
    i = index.get(item)
    if i is None:
        i = index[item] = len(values)
        values.append(item)
    return i

Sentences = list[tuple[int | None, str]]

CHUNK_ARTICLES = 1_000
# Below this many articles a pool's start-up (about a second per worker, importing
# numpy) costs more than it saves.
MIN_ARTICLES_FOR_WORKERS = 4 * CHUNK_ARTICLES


@dataclass
class ChunkTokens:
    """One chunk of articles, tokenised (see the module docstring)."""

    worker: str  # whose vocabulary the stem ids are in
    new_vocab: list[str]  # stems this worker learned in this chunk, in id order
    art_ids: list[str]
    article_len: np.ndarray  # int32, sentences per article
    digests: list[bytes]  # per article, the digest of its key sequence (b"": none)
    occ_local: np.ndarray  # int32, the chunk key of each occurrence
    occ_claim: np.ndarray  # int32, claim index (-1: similarity only)
    key_hash: np.ndarray  # int64, per chunk key, in order of first occurrence
    stem_flat: np.ndarray  # int32, the worker's stem ids of each chunk key (CSR)
    stem_off: np.ndarray  # int64
    nums: list[frozenset]  # the chunk's number sets; 0 is the empty set
    key_nums: np.ndarray  # int32 into nums, per chunk key
    key_dnums: np.ndarray  # int32 into nums: the distinctive numbers


class _WorkerState:
    """A worker's vocabulary for one job (reset when a chunk of another job arrives)."""

    def __init__(self, job: str) -> None:
        self.job = job
        self.name = f"{os.getpid()}:{job}"
        self.word_stem: dict[str, int] = {}  # token -> stem id, -1 for a stop word
        self.stem_index: dict[str, int] = {}
        self.vocab_len = 0


_STATE: _WorkerState | None = None


def tokenise_chunk(job: str, articles: list[tuple[str, Sentences]]) -> ChunkTokens:
    """Tokenise one chunk of articles (in a worker, or in-process)."""
    # imported here so that a worker process needs only this module's own imports
    from .corpus import key_hash, sequence_digest

    global _STATE
    if _STATE is None or _STATE.job != job:
        _STATE = _WorkerState(job)
    state = _STATE
    word_stem = state.word_stem
    new_vocab: list[str] = []
    get_stem = word_stem.get
    key_index: dict[int, int] = {}
    key_hashes = array("q")
    flat = array("i")
    off = array("q", [0])
    nums_index: dict[frozenset, int] = {_EMPTY: 0}
    nums_list: list[frozenset] = [_EMPTY]
    key_nums, key_dnums = array("i"), array("i")
    occ_local, occ_claim = array("i"), array("i")
    article_len = array("i")
    art_ids: list[str] = []
    digests: list[bytes] = []
    for article_id, sentences in articles:
        art_ids.append(article_id)
        article_len.append(len(sentences))
        seq = []
        for claim_index, text in sentences:
            tokens = words(text)
            normalised = " ".join(tokens)
            h = key_hash(normalised)
            idx = key_index.get(h)
            if idx is None:
                idx = key_index[h] = len(key_nums)
                key_hashes.append(h)
                row = set(map(get_stem, tokens))
                if None in row:  # (a token not seen yet)
                    _learn(tokens, state, new_vocab)
                    row = set(map(get_stem, tokens))
                row.discard(-1)
                flat.extend(row)
                off.append(len(flat))
                nums = numbers_of_words(text, normalised)
                key_nums.append(intern(nums_index, nums_list, nums))
                if nums:
                    key_dnums.append(intern(nums_index, nums_list, distinctive_numbers(nums, text)))
                else:
                    key_dnums.append(0)
            occ_local.append(idx)
            occ_claim.append(-1 if claim_index is None else claim_index)
            seq.append(h)
        digests.append(sequence_digest(seq) if seq else b"")
    return ChunkTokens(
        worker=state.name,
        new_vocab=new_vocab,
        art_ids=art_ids,
        article_len=np.frombuffer(article_len, dtype=np.int32).copy(),
        digests=digests,
        occ_local=np.frombuffer(occ_local, dtype=np.int32).copy(),
        occ_claim=np.frombuffer(occ_claim, dtype=np.int32).copy(),
        key_hash=np.frombuffer(key_hashes, dtype=np.int64).copy(),
        stem_flat=np.frombuffer(flat, dtype=np.int32).copy(),
        stem_off=np.frombuffer(off, dtype=np.int64).copy(),
        nums=nums_list,
        key_nums=np.frombuffer(key_nums, dtype=np.int32).copy(),
        key_dnums=np.frombuffer(key_dnums, dtype=np.int32).copy(),
    )


def _learn(tokens: list[str], state: _WorkerState, new_vocab: list[str]) -> None:
    """Give every token its stem id in the worker's vocabulary (-1: a stop word). The
    token cache is emptied at two million entries (bounded memory); stems are kept."""
    word_stem, stem_index = state.word_stem, state.stem_index
    if len(word_stem) >= 2_000_000:
        word_stem.clear()
    for w in tokens:
        if w not in word_stem:
            t = stem(w)
            sid = stem_index.get(t, -1) if t else -1
            if t and sid < 0:
                sid = stem_index[t] = state.vocab_len
                state.vocab_len += 1
                new_vocab.append(t)
            word_stem[w] = sid


def _context():
    """fork where there is one: a spawned worker would import the caller's ``__main__``
    again (a script, Dagster's process), and start up slower. The forked worker only
    runs this module's Python on the chunks it is sent; it never touches the parent's
    DuckDB connection or threads."""
    try:
        return get_context("fork")
    except ValueError:
        return get_context("spawn")


def _chunks(stream: Iterable[tuple[str, Sentences]], size: int) -> Iterator[list]:
    it = iter(stream)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def tokenised(stream: Iterable[tuple[str, Sentences]], workers: int | None = None,
              n_articles: int | None = None) -> Iterator[ChunkTokens]:
    """The stream's chunks tokenised, in order: in worker processes when ``workers``
    (default: one per core, :func:`.threads.workers`) is above 1 and the stream has at least
    MIN_ARTICLES_FOR_WORKERS articles (``n_articles`` when known, else counted as the
    first chunks arrive), else in this process. At most two chunks per worker are in
    flight, so memory holds a few chunks' texts, never the corpus's."""
    job = uuid.uuid4().hex
    workers = default_workers() if workers is None else workers
    if workers <= 1 or (n_articles is not None and n_articles < MIN_ARTICLES_FOR_WORKERS):
        for chunk in _chunks(stream, CHUNK_ARTICLES):
            yield tokenise_chunk(job, chunk)
        return
    with contextlib.ExitStack() as stack:
        if n_articles is not None:
            # Forked before the stream is read: a worker forked later would keep its own
            # copy of every page the parent frees or reuses after the fork (at 100,000
            # articles, DuckDB's buffers of the sorted claims: 0.6 GB in the workers).
            pool = stack.enter_context(_pool(workers))
        chunks = _chunks(stream, CHUNK_ARTICLES)
        head: list[list] = []
        for chunk in chunks:  # a small stream is not worth a pool
            head.append(chunk)
            if len(head) * CHUNK_ARTICLES >= MIN_ARTICLES_FOR_WORKERS:
                break
        if len(head) * CHUNK_ARTICLES < MIN_ARTICLES_FOR_WORKERS:
            for chunk in head:
                yield tokenise_chunk(job, chunk)
            return
        if n_articles is None:
            pool = stack.enter_context(_pool(workers))
        pending = []
        for chunk in itertools.chain(head, chunks):
            pending.append(pool.submit(tokenise_chunk, job, chunk))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).result()
        head.clear()
        for future in pending:
            yield future.result()


def _pool(workers: int) -> ProcessPoolExecutor:
    """A pool with its worker processes started (forked) now."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
    for future in [pool.submit(os.getpid) for _ in range(workers)]:
        future.result()
    return pool
