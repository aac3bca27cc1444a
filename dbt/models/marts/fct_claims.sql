-- Incremental by claim cluster: a changed article changes the cluster sizes
-- of every claim in its clusters (old and new), so those clusters' rows are
-- recomputed (macros/incremental_keys.sql).
-- A contracted mart: a column change fails until a --full-refresh build.
-- depends_on: {{ ref('int_article_changes') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_keys('claim_cluster_id', fct_claims_changed_keys()) }}",
) }}

with claims as (
    select * from {{ ref('int_claims') }}
    {% if is_incremental() %}
    where claim_cluster_id in (select claim_cluster_id from {{ changed_keys_relation() }})
    {% endif %}
),

cluster_sizes as (
    select
        claim_cluster_id,
        count(distinct article_id) as n_articles,
        count(distinct rewrite_cluster_id) as n_independent_sources,
    from claims
    group by claim_cluster_id
),

final as (
    select
        claims.claim_id,
        claims.article_id,
        claims.claim_index,
        claims.char_start,
        claims.char_end,
        claims.text,
        claims.assertion,
        claims.attributed_to,
        claims.claim_cluster_id,
        cast(cluster_sizes.n_articles as integer) as cluster_n_articles,
        cast(cluster_sizes.n_independent_sources as integer) as cluster_n_independent_sources,
    from claims
    inner join cluster_sizes on cluster_sizes.claim_cluster_id = claims.claim_cluster_id
)

select * from final
