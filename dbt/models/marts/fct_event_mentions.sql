with mentions as (select * from {{ ref('int_event_mentions__keyed') }}),

final as (
    select
        event_mention_id,
        event_id,
        article_id,
        claim_id,
        char_start,
        char_end,
        surface_text,
        mention_index,
        event_type,
        event_date,
        date_precision,
        actor_names,
    from mentions
)

select * from final
