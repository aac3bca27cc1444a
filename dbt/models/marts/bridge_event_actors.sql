with events as (select * from {{ ref('int_event_mentions__keyed') }}),

final as (
    select distinct
        event_id,
        {{ surrogate_key(['canonical_name']) }} as actor_id,
        canonical_name,
    from (select event_id, unnest(actor_names) as canonical_name from events)
    where canonical_name is not null
)

select * from final
