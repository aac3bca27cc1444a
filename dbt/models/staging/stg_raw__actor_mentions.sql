with source as (select * from {{ source('raw', 'actor_mentions') }}),

names as (select * from {{ ref('stg_raw__actor_names') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(mention_index as integer) as mention_index,
        cast(claim_index as integer) as claim_index,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        cast(surface_text as varchar) as surface_text,
        coalesce(names.canonical_name, cast(source.canonical_name as varchar)) as canonical_name,
        cast(actor_type as varchar) as actor_type,
    from source
    left join names on names.raw_name = cast(source.canonical_name as varchar)
)

select * from final
