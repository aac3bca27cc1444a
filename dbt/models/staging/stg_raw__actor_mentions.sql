with source as (select * from {{ source('raw', 'actor_mentions') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(mention_index as integer) as mention_index,
        cast(claim_index as integer) as claim_index,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        cast(surface_text as varchar) as surface_text,
        cast(canonical_name as varchar) as canonical_name,
        cast(actor_type as varchar) as actor_type,
    from source
)

select * from final
