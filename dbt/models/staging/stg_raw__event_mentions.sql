with source as (select * from {{ source('raw', 'event_mentions') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(mention_index as integer) as mention_index,
        cast(claim_index as integer) as claim_index,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        cast(surface_text as varchar) as surface_text,
        cast(event_type as varchar) as event_type,
        cast(event_date as varchar) as event_date,
        cast(date_precision as varchar) as date_precision,
        cast(date_start as date) as date_start,
        cast(date_end as date) as date_end,
        cast(coalesce(actor_names, []) as varchar[]) as actor_names,
        cast(location as varchar) as location,
        cast(description as varchar) as description,
    from source
)

select * from final
