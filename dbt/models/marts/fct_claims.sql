with claims as (select * from {{ ref('int_claims') }}),

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
