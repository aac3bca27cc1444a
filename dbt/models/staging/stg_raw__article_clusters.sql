with source as (select * from {{ source('raw', 'article_clusters') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(rewrite_cluster_id as varchar) as rewrite_cluster_id,
    from source
)

select * from final
