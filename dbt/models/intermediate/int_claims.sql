-- Incremental by article: an incremental build recomputes the rows of the
-- articles int_article_changes lists (macros/incremental.sql).
-- depends_on: {{ ref('int_article_changes') }}
{{ incremental_by_article() }}

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
    {% if is_incremental() %}
    where claims.article_id in {{ changed_articles() }}
    {% endif %}
)

select * from final
