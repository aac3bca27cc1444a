-- Every actor named by a live article: in an actor mention, or in the actor
-- list of a figure or event. Aliases are the surface forms seen for it.
with mentions as (select * from {{ ref('int_actor_mentions') }}),

figure_mentions as (select * from {{ ref('int_figure_mentions__keyed') }}),

event_mentions as (select * from {{ ref('int_event_mentions__keyed') }}),

from_mentions as (
    select
        actor_id,
        canonical_name,
        mode(actor_type order by actor_type) as actor_type,
        list_sort(list_distinct(list(surface_text))) as aliases,
        count(distinct article_id) as n_articles,
        count(*) as n_mentions,
    from mentions
    group by actor_id, canonical_name
),

from_facts as (
    select distinct unnest(actor_names) as canonical_name from figure_mentions
    union
    select distinct unnest(actor_names) as canonical_name from event_mentions
),

fact_only as (
    select
        {{ surrogate_key(['canonical_name']) }} as actor_id,
        canonical_name,
        'other' as actor_type,
        [canonical_name] as aliases,
        0 as n_articles,
        0 as n_mentions,
    from from_facts
    where canonical_name is not null
        and canonical_name not in (select canonical_name from from_mentions)
),

final as (
    select
        actor_id,
        canonical_name,
        actor_type,
        aliases,
        cast(n_articles as integer) as n_articles,
        cast(n_mentions as integer) as n_mentions,
    from from_mentions
    union all
    select
        actor_id,
        canonical_name,
        actor_type,
        aliases,
        cast(n_articles as integer) as n_articles,
        cast(n_mentions as integer) as n_mentions,
    from fact_only
)

select * from final
