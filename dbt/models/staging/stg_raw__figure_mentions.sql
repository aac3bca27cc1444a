with source as (select * from {{ source('raw', 'figure_mentions') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(mention_index as integer) as mention_index,
        cast(claim_index as integer) as claim_index,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        cast(surface_text as varchar) as surface_text,
        cast(value as double) as value,
        cast(value_high as double) as value_high,
        cast(unit as varchar) as unit,
        cast(qualifier as varchar) as qualifier,
        cast(measure as varchar) as measure,
        cast(period_text as varchar) as period_text,
        cast(coalesce(actor_names, []) as varchar[]) as actor_names,
    from source
)

select * from final
