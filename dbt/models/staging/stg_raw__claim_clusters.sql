with source as (select * from {{ source('raw', 'claim_clusters') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(claim_index as integer) as claim_index,
        cast(claim_cluster_id as varchar) as claim_cluster_id,
    from source
)

select * from final
