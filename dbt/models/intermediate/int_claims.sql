with claims as (select * from {{ ref('stg_raw__claims') }}),

live as (select * from {{ ref('int_articles__live') }}),

clusters as (select * from {{ ref('stg_raw__claim_clusters') }}),

final as (
    select
        {{ surrogate_key(['claims.article_id', 'claims.claim_index']) }} as claim_id,
        claims.article_id,
        claims.claim_index,
        claims.char_start,
        claims.char_end,
        claims.text,
        claims.assertion,
        claims.attributed_to,
        -- A claim the clustering has not seen yet is its own cluster.
        coalesce(
            clusters.claim_cluster_id,
            {{ surrogate_key(['claims.article_id', 'claims.claim_index']) }}
        ) as claim_cluster_id,
        live.rewrite_cluster_id,
        live.published_date,
    from claims
    inner join live on live.article_id = claims.article_id
    left join clusters
        on clusters.article_id = claims.article_id
        and clusters.claim_index = claims.claim_index
)

select * from final
