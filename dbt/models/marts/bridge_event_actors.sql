-- Incremental by event, following int_event_mentions__keyed: a build
-- recomputes the actors of the events of the event groups that model
-- recomputed, and deletes events that are gone (macros/incremental.sql).
{{ incremental_following('event_id', 'int_event_mentions__keyed', 'event_group') }}

with events as ({{ followed_rows('int_event_mentions__keyed', 'event_group') }}),

final as (
    select distinct
        event_id,
        {{ surrogate_key(['canonical_name']) }} as actor_id,
        canonical_name,
    from (select event_id, unnest(actor_names) as canonical_name from events)
    where canonical_name is not null
)

select * from final
