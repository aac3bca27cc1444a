-- Incremental by mention, following int_event_mentions__keyed: a build
-- recomputes the mentions of the event groups that model recomputed, replaces
-- those that changed and deletes mentions that are gone
-- (incremental_following_rows in macros/incremental.sql).
{{ incremental_following_rows('event_mention_id', 'int_event_mentions__keyed') }}

with mentions as ({{ followed_rows('int_event_mentions__keyed', 'event_group') }}),

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
{{ changed_rows_only('event_mention_id', 'final') }}
