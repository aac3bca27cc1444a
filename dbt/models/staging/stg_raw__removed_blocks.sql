with source as (select * from {{ source('raw', 'removed_blocks') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(block_index as integer) as block_index,
        cast(reason as varchar) as reason,
        cast(text as varchar) as text,
        cast(raw_start as integer) as raw_start,
        cast(raw_end as integer) as raw_end,
    from source
)

select * from final
