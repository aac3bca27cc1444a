-- Incremental by event, following int_event_mentions__keyed: a build
-- recomputes the events of the event groups that model recomputed, replaces
-- those that changed and deletes events that no longer have a mention
-- (incremental_following_rows in macros/incremental.sql).
{{ incremental_following_rows('event_id', 'int_event_mentions__keyed') }}

with mentions as ({{ followed_rows('int_event_mentions__keyed', 'event_group') }}),

aggregated as (
    select
        event_id,
        mode(event_type order by event_type) as event_type,
        mode(event_date order by event_date) filter (where event_date is not null) as event_date,
        mode(date_precision order by date_precision) as date_precision,
        min(date_start) as date_start,
        max(date_end) as date_end,
        list_sort(list_distinct(flatten(list(actor_names)))) as actor_names,
        mode(location order by location) filter (where location is not null) as location,
        mode(description order by description) filter (where description is not null) as description,
        count(*) as n_mentions,
        count(distinct article_id) as n_articles,
        count(distinct rewrite_cluster_id) as n_independent_sources,
        min(published_date) as first_article_date,
        max(published_date) as last_article_date,
        first(claim_text order by published_date nulls last, article_id, char_start)
            filter (where claim_text is not null) as example_sentence,
    from mentions
    group by event_id
),

final as (
    select
        event_id,
        event_type,
        event_date,
        date_precision,
        date_start,
        date_end,
        list_transform(actor_names, lambda n: {{ surrogate_key(['n']) }}) as actor_ids,
        actor_names,
        location,
        description,
        cast(n_mentions as integer) as n_mentions,
        cast(n_articles as integer) as n_articles,
        cast(n_independent_sources as integer) as n_independent_sources,
        first_article_date,
        last_article_date,
        example_sentence,
    from aggregated
)

select * from final
{{ changed_rows_only('event_id', 'final') }}
