"""Update the clustering from the changed articles, against the index a full run kept.

Gives the same cluster tables as a full clustering of the same articles (the rules
are about one sentence, one pair or one bucket, see :mod:`.clusters`), doing only:

1. the articles whose inputs changed (``dd_index.cluster_articles.input_hash``: liveness,
   body, claims' texts) are re-read and tokenised; their old sentences leave the
   index, their new ones join it (existing sentences are found by their key hash);
2. sentences no article holds any more leave the index with their band keys, number
   keys and verified pairs; new sentences get MinHash band keys and number keys, and
   are checked exactly against the members of the buckets they fall in (the same
   estimate floor and checks as the full run, :func:`.verify.verify_candidates`);
   when a band bucket or number key reaches or leaves its crowding cap, every pair of
   its members is checked again (a bucket over the cap links nothing);
3. the changed articles, those holding a sentence whose pairs were checked again, and
   those holding a sentence whose copies reached or left MAX_GROUP_FOR_PAIRS, are
   aligned against every article they share a verbatim or similar sentence with
   (:func:`.align.alignment_score`); the rewrite pairs of other articles are kept;
4. rewrite clusters are the connected components of the kept and new rewrite pairs
   and exact copies (cheap: one row per article), so removing an article that
   bridged two groups splits them;
5. claim clusters are recomputed for the claim components the change can reach: those
   of the sentences of changed articles and of articles whose rewrite cluster moved,
   and of their neighbours; within that closed set the components are rebuilt, so a
   bridge that went away splits a component here too.

When a verbatim sentence reaches or leaves MAX_GROUP_FOR_PAIRS copies (past it, a
sentence is boilerplate and links no articles), every article holding it is aligned
again in step 3. When many articles changed, it declines (:class:`Fallback`) and the
caller runs a full clustering.
"""

from __future__ import annotations

import time
from collections import defaultdict

import duckdb
import numpy as np
import pyarrow as pa

from .align import MAX_GROUP_FOR_PAIRS, REWRITE_MIN_ALIGNED, REWRITE_SCORE, alignment_score
from .candidates import (
    BANDS,
    ESTIMATE_FLOOR,
    MAX_BUCKET,
    MAX_NUMBER_BUCKET,
    MIN_SENTENCE_STEMS,
    band_keys,
    estimated_overlap_at_least,
    number_keys,
    signatures,
)
from .corpus import InformativeStems, index_sentences
from .index import insert
from .pairs import components, pair_codes
from .verify import verify_candidates

# More changed articles than this (and than this share of the corpus) are a full run:
# past that, re-reading everything is as cheap as updating.
MAX_CHANGED = 2_000
MAX_CHANGED_SHARE = 0.05


class Fallback(Exception):
    """The update cannot be exact (or would not be cheaper): run a full clustering."""


def _register(con: duckdb.DuckDBPyConnection, name: str, columns: dict) -> None:
    """A temporary table ``name`` (fixed in this module) holding ``columns``."""
    con.execute(f"drop table if exists {name}")
    batch = pa.table({k: pa.array(v) if not isinstance(v, pa.Array) else v
                      for k, v in columns.items()})
    con.register("_ci_batch", batch)
    try:
        con.execute(f"create temp table {name} as select * from _ci_batch")
    finally:
        con.unregister("_ci_batch")


def _lookup(con: duckdb.DuckDBPyConnection, table: str, key: str, value: str,
            ids: list[int]) -> list[tuple]:
    """(key, value) rows of index ``table`` for the integer ``ids`` (names fixed in
    this module), joined through a temp table rather than a long IN list."""
    _register(con, "_ci_ids", {key: np.array(ids, dtype=np.int32)})
    return con.execute(
        f"select {key}, {value} from {table} where {key} in (select {key} from _ci_ids)"
    ).fetchall()


def update(con: duckdb.DuckDBPyConnection, read_sentences) -> dict:
    """Apply the changes since the last clustering; the caller holds the transaction.

    Temp table ``_ci_now`` holds every article's input hash (step.inputs_fingerprint).
    ``read_sentences(con, table)`` streams (article_id, sentences) of the live articles
    listed in temp table ``table`` (as the full run reads them). Leaves temp tables
    ``_dd_ac`` (every article's rewrite cluster id) and ``_dd_cc`` / ``_dd_scope`` (the
    claim cluster ids of the articles in scope) for the writer. Raises Fallback.
    """
    laps: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        laps[name] = round(now - clock[0], 3)
        clock[0] = now

    con.execute(
        """
        create or replace temp table _ci_changed as
        select coalesce(n.article_id, o.article_id) as article_id,
               n.live as live_now, n.input_hash
        from _ci_now n full join dd_index.cluster_articles o on n.article_id = o.article_id
        where n.article_id is null or o.article_id is null
           or n.live != o.live or n.input_hash is distinct from o.input_hash
        """
    )
    n_changed, n_total = con.execute(
        "select (select count(*) from _ci_changed), (select count(*) from _ci_now)"
    ).fetchall()[0]
    if n_changed > max(MAX_CHANGED, MAX_CHANGED_SHARE * n_total):
        raise Fallback(f"{n_changed} of {n_total} articles changed")
    con.execute("create or replace temp table _ci_redo as "
                "select article_id from _ci_changed where live_now")
    lap("t_changed")

    # 1. the changed articles' new sentences, as the full run reads them
    mini, mini_flat = index_sentences(read_sentences(con, "_ci_redo"))
    old_occ = con.execute(
        "select key_id, count(*) from dd_index.cluster_occ "
        "where article_id in (select article_id from _ci_changed) group by key_id"
    ).fetchall()
    _register(con, "_ci_hash", {"key_hash": mini.key_hash, "local": np.arange(mini.n_keys)})
    found = con.execute(
        "select h.local, k.key_id, k.n_occ from _ci_hash h join dd_index.cluster_keys k "
        "using (key_hash)"
    ).fetchall()
    lap("t_read")

    # 2. occurrence counts, removed and new sentences
    n_occ: dict[int, int] = {}
    delta: dict[int, int] = defaultdict(int)
    local_to_global = np.full(mini.n_keys, -1, dtype=np.int64)
    for local, key_id, n in found:
        local_to_global[local] = key_id
        n_occ[key_id] = n
    for key_id, n in old_occ:
        delta[key_id] -= n
    new_local = np.flatnonzero(local_to_global < 0)
    next_id = con.execute(
        "select coalesce(max(key_id), -1) + 1 from dd_index.cluster_keys"
    ).fetchall()[0][0]
    local_to_global[new_local] = np.arange(next_id, next_id + len(new_local))
    occ_global = local_to_global[np.frombuffer(mini.occ_key, dtype=np.int32)]
    for key_id, n in zip(*np.unique(occ_global, return_counts=True), strict=True):
        delta[int(key_id)] += int(n)
    missing = [k for k in delta if k not in n_occ and k < next_id]
    if missing:
        n_occ.update(_lookup(con, "dd_index.cluster_keys", "key_id", "n_occ", missing))
    after = {k: n_occ.get(k, 0) + d for k, d in delta.items()}
    # Sentences whose copies now link articles (or stopped linking them): every
    # article holding one is aligned again (step 6 below).
    crossed = np.array(sorted(
        k for k, n in after.items()
        if (n_occ.get(k, 0) <= MAX_GROUP_FOR_PAIRS) != (n <= MAX_GROUP_FOR_PAIRS)
    ), dtype=np.int64)
    removed = np.array(sorted(k for k, n in after.items() if n == 0 and k < next_id),
                       dtype=np.int64)
    new_ids = local_to_global[new_local]
    lap("t_counts")

    # 3. the new sentences' stems (global ids), numbers, signatures, band and number keys
    new_stems, vocab_ids = _global_stems(con, mini, mini_flat, new_local)
    nums_lists = [sorted(s) for s in mini.nums_list]
    new_nums = [nums_lists[i] for i in mini.key_nums[new_local].tolist()]
    new_dnums = [nums_lists[i] for i in mini.key_dnums[new_local].tolist()]
    new_signed = np.array([len(r) >= MIN_SENTENCE_STEMS for r in new_stems], dtype=bool)
    signed_ids = new_ids[new_signed]
    sig_new = _signatures(con, [new_stems[i] for i in np.flatnonzero(new_signed)], vocab_ids)
    band_rows = [band_keys(sig_new, b) for b in range(BANDS)] if len(signed_ids) else []
    new_bkeys = np.concatenate(band_rows) if band_rows else np.empty(0, dtype=np.int64)
    new_bkey_ids = np.tile(signed_ids, BANDS) if band_rows else np.empty(0, dtype=np.int64)
    nk, nk_ids = [], []
    for kid, signed, d in zip(new_ids.tolist(), new_signed.tolist(), new_dnums, strict=True):
        if signed and d:
            for key in number_keys(frozenset(d)):
                nk.append(key)
                nk_ids.append(kid)
    new_nkeys = np.array(nk, dtype=np.int64)
    new_nkey_ids = np.array(nk_ids, dtype=np.int64)
    lap("t_new_keys")

    # bucket sizes before and after: a bucket crossing its cap changes pairs far away
    _register(con, "_ci_removed", {"key_id": removed.astype(np.int32)})
    band_members, crossing = _bucket_update(con, "cluster_bands", "bkey", new_bkeys,
                                            new_bkey_ids, MAX_BUCKET)
    band_touched = con.execute("select k from _ci_touched").fetchall()
    num_members, num_crossing = _bucket_update(con, "cluster_numkeys", "nkey", new_nkeys,
                                               new_nkey_ids, MAX_NUMBER_BUCKET)
    crossing |= num_crossing
    num_members = _buckets_of(con, "cluster_numkeys", "nkey", crossing, MAX_NUMBER_BUCKET,
                              num_members)
    _register(con, "_ci_touched", {"k": np.array([r[0] for r in band_touched], np.int64)})
    band_members = _buckets_of(con, "cluster_bands", "bkey", crossing, MAX_BUCKET,
                               band_members)
    lap("t_buckets")

    # 4. candidates of the new sentences and their exact checks
    focus = set(new_ids.tolist()) | crossing
    sims, edges = _verify_new(con, signed_ids, sig_new, band_members, num_members, new_ids,
                              new_stems, new_nums, new_dnums, vocab_ids, focus)
    lap("t_verify")

    # claim components the change can reach: old labels of the changed articles' old
    # sentences (removed ones included) are read before the index moves
    con.execute(
        "create or replace temp table _ci_old_keys as select distinct key_id from dd_index.cluster_occ "
        "where article_id in (select article_id from _ci_changed)"
    )

    # 5. the index moves
    con.execute("delete from dd_index.cluster_occ where article_id in "
                "(select article_id from _ci_changed)")
    art_len = np.frombuffer(mini.article_len, dtype=np.int32).astype(np.int64)
    occ_pos = np.arange(mini.n_sentences) - np.repeat(np.cumsum(art_len) - art_len, art_len)
    insert(con, "dd_index.cluster_occ", {
        "article_id": pa.array(mini.art_ids, type=pa.string()).take(
            pa.array(np.repeat(np.arange(len(mini.art_ids)), art_len))),
        "pos": occ_pos.astype(np.int32),
        "key_id": occ_global.astype(np.int32),
        "claim_index": np.frombuffer(mini.occ_claim, dtype=np.int32),
    })
    con.execute("create or replace temp table _ci_claim_old as select key_id, claim_label "
                "from dd_index.cluster_keys where key_id in (select key_id from _ci_old_keys)")
    con.execute("delete from dd_index.cluster_keys where key_id in (select key_id from _ci_removed)")
    for table in ("cluster_bands", "cluster_numkeys"):
        con.execute(f"delete from dd_index.{table} where key_id in (select key_id from _ci_removed)")
    _register(con, "_ci_redo_keys", {"key_id": np.array(
        sorted(set(removed.tolist()) | crossing), dtype=np.int32)})
    for table in ("cluster_sims", "cluster_claim_edges"):
        con.execute(f"delete from dd_index.{table} where a in (select key_id from _ci_redo_keys) "
                    "or b in (select key_id from _ci_redo_keys)")
    changed_counts = [(k, n) for k, n in after.items() if n > 0 and k < next_id]
    if changed_counts:
        _register(con, "_ci_counts", {
            "key_id": np.array([k for k, _ in changed_counts], dtype=np.int32),
            "n": np.array([n for _, n in changed_counts], dtype=np.int32),
        })
        con.execute("update dd_index.cluster_keys k set n_occ = c.n from _ci_counts c "
                    "where k.key_id = c.key_id")
    insert(con, "dd_index.cluster_keys", {
        "key_id": new_ids.astype(np.int32),
        "key_hash": mini.key_hash[new_local],
        "n_occ": np.array([after[int(k)] for k in new_ids], dtype=np.int32),
        "signed": new_signed,
        "stems": pa.array([r.tolist() for r in new_stems], type=pa.list_(pa.int32())),
        "nums": pa.array(new_nums, type=pa.list_(pa.string())),
        "dnums": pa.array(new_dnums, type=pa.list_(pa.string())),
        "claim_label": np.full(len(new_ids), -1, dtype=np.int32),
    })
    insert(con, "dd_index.cluster_bands", {"bkey": new_bkeys, "key_id": new_bkey_ids.astype(np.int32)})
    insert(con, "dd_index.cluster_numkeys",
           {"nkey": new_nkeys, "key_id": new_nkey_ids.astype(np.int32)})
    insert(con, "dd_index.cluster_sims", sims)
    insert(con, "dd_index.cluster_claim_edges", edges)
    con.execute("delete from dd_index.cluster_articles where article_id in "
                "(select article_id from _ci_changed)")
    _register(con, "_ci_art", {
        "article_id": pa.array(mini.art_ids, type=pa.string()),
        "n_sent": art_len.astype(np.int32),
        "digest": pa.array(mini.article_digest, type=pa.binary()),
    })
    con.execute(
        "insert into dd_index.cluster_articles select c.article_id, c.live_now, c.input_hash, "
        "a.n_sent, a.digest from _ci_changed c left join _ci_art a using (article_id) "
        "where c.live_now is not null"
    )
    lap("t_index")

    # 6. rewrite pairs of the changed articles, then every article's rewrite cluster
    # aligned again: the changed articles, those holding a sentence whose pairs moved,
    # and those holding a sentence that reached or left MAX_GROUP_FOR_PAIRS copies (a
    # pair of articles gets its points from the sentences of either one, so aligning
    # every holder again covers every pair such a sentence adds or takes away)
    _register(con, "_ci_crossed", {"key_id": crossed.astype(np.int32)})
    con.execute(
        """
        create or replace temp table _ci_align as
        select article_id from _ci_redo
        union select distinct article_id from dd_index.cluster_occ
        where key_id in (select key_id from _ci_redo_keys)
           or key_id in (select key_id from _ci_crossed)
        """
    )
    compared = _rewrites(con)
    lap("t_align")
    _article_clusters(con)
    lap("t_components")

    # 7. claim clusters of the components the change reaches
    n_claim_keys = _claim_clusters(con, new_ids)
    lap("t_claims")
    return {
        "incremental": True,
        "articles_changed_input": int(n_changed),
        "articles_compared": compared,
        "new_sentences": len(new_ids),
        "removed_sentences": len(removed),
        "new_sentence_pairs": len(sims["a"]),
        "sentences_rechecked": len(crossing),
        "verbatim_crossed": len(crossed),
        "claim_keys_recomputed": n_claim_keys,
        **laps,
    }


def _global_stems(con, mini, mini_flat, new_local) -> tuple[list[np.ndarray], dict[int, str]]:
    """Each new sentence's stem ids in the index's vocabulary (sorted), adding the
    stems it has not seen; and the text of every stem id used."""
    used = sorted({mini.vocab[s] for k in new_local.tolist()
                   for s in mini_flat[mini.key_off[k]:mini.key_off[k + 1]].tolist()})
    _register(con, "_ci_stems", {"stem": pa.array(used, type=pa.string())})
    known = dict(con.execute(
        "select v.stem, v.stem_id from dd_index.cluster_vocab v join _ci_stems s using (stem)"
    ).fetchall())
    fresh = [s for s in used if s not in known]
    if fresh:
        start = con.execute("select coalesce(max(stem_id), -1) + 1 from dd_index.cluster_vocab"
                            ).fetchall()[0][0]
        ids = np.arange(start, start + len(fresh), dtype=np.int32)
        insert(con, "dd_index.cluster_vocab", {"stem_id": ids, "stem": pa.array(fresh, pa.string())})
        known.update(zip(fresh, ids.tolist(), strict=True))
    rows = [
        np.array(sorted(known[mini.vocab[s]] for s in
                        mini_flat[mini.key_off[k]:mini.key_off[k + 1]].tolist()), dtype=np.int64)
        for k in new_local.tolist()
    ]
    return rows, {v: k for k, v in known.items()}


def _signatures(con, rows: list[np.ndarray], vocab_ids: dict[int, str]) -> np.ndarray:
    """MinHash signatures (as the full run makes them) of stem-id rows, over a local
    vocabulary of the stems used (the hash is of the stem's text)."""
    if not rows:
        return np.empty((0, 96), dtype=np.uint16)
    used = sorted({s for r in rows for s in r.tolist()})
    missing = [s for s in used if s not in vocab_ids]
    if missing:
        vocab_ids.update(_lookup(con, "dd_index.cluster_vocab", "stem_id", "stem", missing))
    local = {s: i for i, s in enumerate(used)}
    flat = np.array([local[s] for r in rows for s in r.tolist()], dtype=np.int32)
    off = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int64)
    return signatures(flat, off, np.arange(len(rows), dtype=np.int64),
                      [vocab_ids[s] for s in used])


def _bucket_update(con, table: str, col: str, new_keys: np.ndarray, new_ids: np.ndarray,
                   cap: int) -> tuple[dict[int, list[int]], set[int]]:
    """Members (after the change) of the buckets of the new sentences, when within
    ``cap``, and the existing sentences in a bucket that crossed ``cap`` (their pairs
    must be checked again: a bucket that reached its cap unlinks them, one that left it
    links them). One scan of the table for the buckets the change touched."""
    con.execute(
        f"create or replace temp table _ci_touched as "
        f"select distinct {col} as k from dd_index.{table} "
        f"where key_id in (select key_id from _ci_removed)"
    )
    _register(con, "_ci_newk", {"k": new_keys, "key_id": new_ids.astype(np.int32)})
    con.execute("insert into _ci_touched select distinct k from _ci_newk")
    before: dict[int, int] = defaultdict(int)
    members: dict[int, list[int]] = defaultdict(list)
    for k, key_id, gone in con.execute(
        f"""
        select t.{col}, t.key_id, t.key_id in (select key_id from _ci_removed)
        from dd_index.{table} t where t.{col} in (select k from _ci_touched)
        """
    ).fetchall():
        before[k] += 1
        if not gone:
            members[k].append(key_id)
    for k, key_id in zip(new_keys.tolist(), new_ids.tolist(), strict=True):
        members[k].append(key_id)
    new_set = set(new_ids.tolist())
    crossing: set[int] = set()
    for k in set(before) | set(members):
        size = len(members.get(k, ()))
        if (before.get(k, 0) <= cap) != (size <= cap):
            crossing.update(m for m in members.get(k, ()) if m not in new_set)
    return {k: m for k, m in members.items() if 2 <= len(m) <= cap}, crossing


def _buckets_of(con, table: str, col: str, focus_old: set[int], cap: int,
                members: dict[int, list[int]]) -> dict[int, list[int]]:
    """``members`` (the new sentences' buckets) with every bucket of the sentences in
    ``focus_old`` added, for the buckets of 2 to ``cap`` members (after the change)."""
    if not focus_old:
        return members
    _register(con, "_ci_focus", {"key_id": np.array(sorted(focus_old), dtype=np.int32)})
    more: dict[int, list[int]] = defaultdict(list)
    for k, key_id in con.execute(
        f"""
        select {col}, key_id from dd_index.{table}
        where {col} in (select {col} from dd_index.{table}
                        where key_id in (select key_id from _ci_focus))
          and {col} not in (select k from _ci_touched)
          and key_id not in (select key_id from _ci_removed)
        """
    ).fetchall():
        more[k].append(key_id)
    return {**members, **{k: m for k, m in more.items() if 2 <= len(m) <= cap}}


def _verify_new(con, signed_ids, sig_new, band_members, num_members, new_ids, new_stems,
                new_nums, new_dnums, vocab_ids, focus: set[int]) -> tuple[dict, dict]:
    """Candidate pairs of the sentences in ``focus`` (new ones, and members of buckets
    that crossed their cap): a shared band bucket with an estimated overlap over the
    floor, or a shared number key; checked exactly, in the index's key ids."""
    new_set = focus
    band_pairs_g: set[tuple[int, int]] = set()
    for members in band_members.values():
        fresh = [m for m in members if m in new_set]
        for n in fresh:
            for m in members:
                if m != n:
                    band_pairs_g.add((min(n, m), max(n, m)))
    num_pairs_g: set[tuple[int, int]] = set()
    for members in num_members.values():
        for n in (m for m in members if m in new_set):
            for m in members:
                if m != n:
                    num_pairs_g.add((min(n, m), max(n, m)))
    empty = {"a": np.empty(0, np.int32), "b": np.empty(0, np.int32)}
    if not band_pairs_g and not num_pairs_g:
        return {**empty, "j": np.empty(0), "same_nums": np.empty(0, bool)}, empty
    keys = sorted({k for p in band_pairs_g | num_pairs_g for k in p})
    local = {k: i for i, k in enumerate(keys)}
    stems: dict[int, np.ndarray] = {}
    nums: dict[int, list] = {}
    dnums: dict[int, list] = {}
    for k, r, nu, d in zip(new_ids.tolist(), new_stems, new_nums, new_dnums, strict=True):
        stems[k], nums[k], dnums[k] = r, nu, d
    old = [k for k in keys if k not in stems]
    if old:
        _register(con, "_ci_old", {"key_id": np.array(old, dtype=np.int32)})
        for k, r, nu, d in con.execute(
            "select key_id, stems, nums, dnums from dd_index.cluster_keys "
            "where key_id in (select key_id from _ci_old)"
        ).fetchall():
            stems[k], nums[k], dnums[k] = np.array(r, dtype=np.int64), nu, d
    # band pairs: the estimate floor on the signatures, as band_pairs applies it
    if band_pairs_g:
        sig_rows = {k: i for i, k in enumerate(signed_ids.tolist())}
        others = [k for k in keys if k not in sig_rows]
        sig_old = _signatures(con, [stems[k] for k in others], vocab_ids)
        all_sigs = np.concatenate([sig_new, sig_old]) if len(others) else sig_new
        for i, k in enumerate(others):
            sig_rows[k] = len(sig_new) + i
        pa_, pb_ = np.array(sorted(band_pairs_g), dtype=np.int64).T
        ok = estimated_overlap_at_least(
            all_sigs, np.array([sig_rows[k] for k in pa_.tolist()]),
            np.array([sig_rows[k] for k in pb_.tolist()]), ESTIMATE_FLOOR)
        band_local = pair_codes(np.array([local[k] for k in pa_[ok].tolist()], dtype=np.int64),
                                np.array([local[k] for k in pb_[ok].tolist()], dtype=np.int64))
    else:
        band_local = np.empty(0, dtype=np.int64)
    if num_pairs_g:
        na_, nb_ = np.array(sorted(num_pairs_g), dtype=np.int64).T
        num_local = pair_codes(np.array([local[k] for k in na_.tolist()], dtype=np.int64),
                               np.array([local[k] for k in nb_.tolist()], dtype=np.int64))
    else:
        num_local = np.empty(0, dtype=np.int64)
    # the local sub-problem in the shape verify_candidates takes
    stem_ids = sorted({s for k in keys for s in stems[k].tolist()})
    sl = {s: i for i, s in enumerate(stem_ids)}
    if any(s not in vocab_ids for s in stem_ids):
        vocab_ids.update(_lookup(con, "dd_index.cluster_vocab", "stem_id", "stem", stem_ids))
    digit = np.array([vocab_ids[s].isdigit() for s in stem_ids], dtype=bool)
    rows = [np.array([sl[s] for s in stems[k].tolist()], dtype=np.int32) for k in keys]
    lens = np.array([len(r) for r in rows], dtype=np.int64)
    flat = np.concatenate(rows) if rows else np.empty(0, np.int32)
    off = np.concatenate(([0], np.cumsum(lens))).astype(np.int64)
    words_len = np.array([int((~digit[r]).sum()) for r in rows], dtype=np.int64)
    inf = InformativeStems(flat, off, lens, words_len, digit)
    nums_index: dict[tuple, int] = {(): 0}
    nums_list: list[frozenset] = [frozenset()]

    def intern(values) -> int:
        t = tuple(values)
        if t not in nums_index:
            nums_index[t] = len(nums_list)
            nums_list.append(frozenset(t))
        return nums_index[t]

    key_nums = np.array([intern(nums[k]) for k in keys], dtype=np.int32)
    key_dnums = np.array([intern(dnums[k]) for k in keys], dtype=np.int32)
    found = verify_candidates(inf, key_nums, key_dnums, nums_list, band_local, num_local)
    g = np.array(keys, dtype=np.int64)
    ea, eb = g[found.edge_a], g[found.edge_b]
    codes = np.unique(np.minimum(ea, eb) * (1 << 32) + np.maximum(ea, eb)) if len(ea) else ea
    sa, sb = g[found.sim_a], g[found.sim_b]
    na = key_nums[found.sim_a]
    return (
        {"a": np.minimum(sa, sb).astype(np.int32), "b": np.maximum(sa, sb).astype(np.int32),
         "j": found.sim_j.astype(np.float64),
         "same_nums": (na != 0) & (na == key_nums[found.sim_b])},
        {"a": (codes >> 32).astype(np.int32), "b": (codes & 0xFFFFFFFF).astype(np.int32)},
    )


def _rewrites(con) -> int:
    """Replace the rewrite pairs of the changed articles and of those in ``_ci_align``;
    returns the articles they were compared with (sharing a verbatim or similar
    sentence)."""
    con.execute(
        "delete from dd_index.cluster_rewrites where a in (select article_id from _ci_changed) "
        "or b in (select article_id from _ci_changed) "
        "or a in (select article_id from _ci_align) or b in (select article_id from _ci_align)"
    )
    redo = [r[0] for r in con.execute("select article_id from _ci_align").fetchall()]
    if not redo:
        return 0
    # small temp tables first, so each large table is scanned once and joined with
    # a few hundred rows, never with the whole keys table
    con.execute(
        "create or replace temp table _ci_mine as select article_id, pos, key_id "
        "from dd_index.cluster_occ where article_id in (select article_id from _ci_align)"
    )
    con.execute(
        """
        create or replace temp table _ci_simrows as
        select a, b, j from dd_index.cluster_sims
        where a in (select key_id from _ci_mine) or b in (select key_id from _ci_mine)
        """
    )
    con.execute(
        """
        create or replace temp table _ci_size as
        select key_id, n_occ from dd_index.cluster_keys where key_id in (
            select key_id from _ci_mine union select a from _ci_simrows
            union select b from _ci_simrows
        )
        """
    )
    size = dict(con.execute("select key_id, n_occ from _ci_size").fetchall())
    mine = [(x, p, k, size[k]) for x, p, k in
            con.execute("select article_id, pos, key_id from _ci_mine").fetchall()]
    neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for a, b, j in con.execute("select a, b, j from _ci_simrows").fetchall():
        if size[a] <= MAX_GROUP_FOR_PAIRS and size[b] <= MAX_GROUP_FOR_PAIRS:
            neighbours[a].append((b, j))
            neighbours[b].append((a, j))
    where_at: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for aid, pos, key_id in con.execute(
        f"""
        select article_id, pos, key_id from dd_index.cluster_occ where key_id in
            (select key_id from _ci_size where n_occ <= {MAX_GROUP_FOR_PAIRS})
        """
    ).fetchall():
        where_at[key_id].append((aid, pos))
    points: dict[tuple[str, str], set] = defaultdict(set)
    for x, px, k, size in mine:
        if size > MAX_GROUP_FOR_PAIRS:
            continue
        links = [(k, 1.0)] if size > 1 else []
        links += neighbours.get(k, [])
        for other, w in links:
            for y, py in where_at.get(other, ()):
                if y == x:
                    continue
                if x < y:
                    points[(x, y)].add((px, py, w))
                else:
                    points[(y, x)].add((py, px, w))
    busy = [p for p, pts in points.items() if len(pts) >= REWRITE_MIN_ALIGNED]
    lens = {}
    if busy:
        _register(con, "_ci_pairs_art", {"article_id": pa.array(
            sorted({a for p in busy for a in p}), type=pa.string())})
        lens = dict(con.execute(
            "select article_id, n_sent from dd_index.cluster_articles where article_id in "
            "(select article_id from _ci_pairs_art)").fetchall())
    found_a, found_b = [], []
    for x, y in busy:
        score, aligned = alignment_score(list(points[(x, y)]), lens[x], lens[y])
        if score >= REWRITE_SCORE and aligned >= REWRITE_MIN_ALIGNED:
            found_a.append(x)
            found_b.append(y)
    insert(con, "dd_index.cluster_rewrites", {"a": pa.array(found_a, type=pa.string()),
                                         "b": pa.array(found_b, type=pa.string())})
    return len({a for p in points for a in p} - set(redo))


def _article_clusters(con) -> None:
    """Every article's rewrite cluster (temp ``_dd_ac``): components of the live articles
    over the rewrite pairs and exact copies, named after their smallest article id."""
    # Positions and edges are made by DuckDB: at 10,000 articles the index holds over
    # a million rewrite pairs, which cost a second as Python tuples and a dict lookup.
    con.execute(
        """
        create or replace temp table _ci_pos as
        select article_id, row_number() over (order by article_id) - 1 as pos, n_sent, digest
        from dd_index.cluster_articles where live
        """
    )
    ids = con.sql("select article_id from _ci_pos order by pos").to_arrow_table().column(0)
    edges = con.execute(
        """
        select ia.pos as a, ib.pos as b
        from dd_index.cluster_rewrites r
        join _ci_pos ia on ia.article_id = r.a
        join _ci_pos ib on ib.article_id = r.b
        union all
        -- exact copies: every article with the same sentence digest as an earlier one
        select first_pos, pos from (
            select pos, min(pos) over (partition by digest) as first_pos from _ci_pos
            where coalesce(n_sent, 0) <> 0 and coalesce(octet_length(digest), 0) > 0
        ) where first_pos <> pos
        """
    ).fetchnumpy()
    n = len(ids)
    label = components(n, np.asarray(edges["a"], dtype=np.int64),
                       np.asarray(edges["b"], dtype=np.int64))
    root = np.full(label.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(root, label, np.arange(n, dtype=np.int64))
    roots = root[label] if n else np.empty(0, dtype=np.int64)
    _register(con, "_ci_roots", {
        "article_id": ids,
        "root_id": ids.take(pa.array(roots)),
    })
    con.execute(
        """
        create or replace temp table _dd_ac as
        select article_id, md5(root_id) as rewrite_cluster_id from _ci_roots
        union all
        select article_id, md5(article_id) from raw.articles
        where article_id not in (select article_id from _ci_roots)
        """
    )


def _claim_clusters(con, new_ids: np.ndarray) -> int:
    """Claim cluster ids (temp ``_dd_cc`` over the articles in ``_dd_scope``) of the claim
    components the change reaches; returns the number of sentences recomputed."""
    # sentences whose claim links or heads may have moved: the changed articles' old and
    # new sentences, and those of articles whose rewrite cluster moved
    con.execute(
        """
        create or replace temp table _ci_moved as
        select a.article_id from _dd_ac a left join raw.article_clusters o using (article_id)
        where o.rewrite_cluster_id is distinct from a.rewrite_cluster_id
        """
    )
    con.execute(
        """
        create or replace temp table _ci_f as
        select key_id from _ci_old_keys
        union select key_id from _ci_redo_keys
        union select key_id from dd_index.cluster_occ
        where article_id in (select article_id from _ci_changed)
           or article_id in (select article_id from _ci_moved)
        """
    )

    def links(keys: str) -> list[tuple[int, int]]:
        """Claim edges, and active aligned-claim links (similar sentences stating the same
        numbers, with occurrences in one rewrite cluster), with an end in temp table
        ``keys`` (a name of this module)."""
        return con.execute(
            f"""
            with e as (
                select a, b from dd_index.cluster_claim_edges
                where a in (select key_id from {keys}) or b in (select key_id from {keys})
            ),
            elig as (
                select a, b from dd_index.cluster_sims
                where same_nums
                  and (a in (select key_id from {keys}) or b in (select key_id from {keys}))
            ),
            occ as (
                select o.key_id, r.rewrite_cluster_id as r
                from dd_index.cluster_occ o join _dd_ac r using (article_id)
                where o.key_id in (select a from elig union select b from elig)
            ),
            active as (
                select distinct elig.a, elig.b from elig
                join occ x on x.key_id = elig.a join occ y on y.key_id = elig.b and x.r = y.r
            )
            select a, b from e union select a, b from active
            """
        ).fetchall()

    around = links("_ci_f")
    _register(con, "_ci_near", {"key_id": np.array(
        sorted({k for e in around for k in e}), dtype=np.int32)})
    con.execute(
        """
        create or replace temp table _ci_s as
        with seeds as (select key_id from _ci_f union select key_id from _ci_near),
        labels as (
            select claim_label from dd_index.cluster_keys where key_id in (select key_id from seeds)
            union select claim_label from _ci_claim_old
        )
        select key_id from seeds where key_id in (select key_id from dd_index.cluster_keys)
        union select key_id from dd_index.cluster_keys
        where claim_label >= 0 and claim_label in (select claim_label from labels)
        """
    )
    s_keys = np.array(sorted(r[0] for r in con.execute("select key_id from _ci_s").fetchall()),
                      dtype=np.int64)
    inner = links("_ci_s")
    local = {k: i for i, k in enumerate(s_keys.tolist())}
    if any(a not in local or b not in local for a, b in inner):
        raise Fallback("claim components reach outside the recomputed set")
    ea = np.array([local[a] for a, _ in inner], dtype=np.int64)
    eb = np.array([local[b] for _, b in inner], dtype=np.int64)
    n = len(s_keys)
    label = components(n, ea, eb) if n else np.empty(0, dtype=np.int64)
    smallest = np.full(label.max() + 1 if n else 0, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, label, s_keys)
    _register(con, "_ci_lab", {"key_id": s_keys.astype(np.int32),
                               "lab": smallest[label].astype(np.int32) if n else
                               np.empty(0, np.int32)})
    con.execute("update dd_index.cluster_keys k set claim_label = l.lab from _ci_lab l "
                "where k.key_id = l.key_id")
    # heads: the smallest (article, claim) of each component; every claim of those
    # sentences takes its head's id
    con.execute(
        """
        create or replace temp table _ci_cc as
        with c as (
            select o.article_id, o.claim_index, l.lab from dd_index.cluster_occ o
            join _ci_lab l using (key_id) where o.claim_index >= 0
        ),
        heads as (
            select lab, article_id as ha, claim_index as hi from (
                select lab, article_id, claim_index, row_number() over
                    (partition by lab order by article_id, claim_index) as k
                from c
            ) where k = 1
        )
        select c.article_id, c.claim_index,
               md5(h.ha || '|' || cast(h.hi as varchar)) as claim_cluster_id
        from c join heads h using (lab)
        """
    )
    con.execute(
        """
        create or replace temp table _dd_scope as
        select article_id from _ci_changed union select article_id from _ci_cc
        """
    )
    con.execute(
        """
        create or replace temp table _dd_cc as
        select article_id, claim_index, claim_cluster_id from _ci_cc
        union all
        select cc.article_id, cc.claim_index, cc.claim_cluster_id from raw.claim_clusters cc
        anti join _ci_cc using (article_id, claim_index)
        where cc.article_id in (select article_id from _dd_scope)
          and cc.article_id not in (select article_id from _ci_changed)
        union all
        select article_id, claim_index, md5(article_id || '|' || cast(claim_index as varchar))
        from raw.claims
        where article_id in (select article_id from _ci_changed where not live_now)
        """
    )
    return n
