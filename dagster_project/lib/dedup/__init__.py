"""Near-duplicate clustering of articles (rewrites) and of claims (same sentence-level claim).

Entry point: :func:`assign_clusters`, called by the orchestration layer after
extraction and before dbt. It reads ``raw.articles`` and ``raw.claims`` and
updates ``raw.article_clusters`` and ``raw.claim_clusters`` (the rows of the
articles whose clusters changed, listed in ``raw.cluster_changes``). Plain Python, no
Dagster import; the algorithm is run by :mod:`.clusters`, one module per stage, over
the whole corpus, or by :mod:`.incremental` from the changed articles against the
index a full run keeps in a file beside the working database (:mod:`.index`),
with the same result.
"""

from .clusters import ClusterArrays, ClusterResult, cluster_arrays, cluster_corpus
from .step import assign_clusters

__all__ = [
    "ClusterArrays", "ClusterResult", "assign_clusters", "cluster_arrays", "cluster_corpus",
]
