-- Loaded in Dagster as an asset check on fct_events.
{{ config(meta={'dagster': {'ref': {'name': 'fct_events'}}}) }}
-- n_mentions, n_articles and n_independent_sources of every event agree with
-- its mentions and the rewrite clusters of their articles.
with counted as (
    select
        m.event_id,
        count(*) as n_mentions,
        count(distinct m.article_id) as n_articles,
        count(distinct a.rewrite_cluster_id) as n_independent_sources,
    from {{ ref('fct_event_mentions') }} as m
    inner join {{ ref('dim_articles') }} as a on a.article_id = m.article_id
    group by m.event_id
)

select e.event_id
from {{ ref('fct_events') }} as e
left join counted as c on c.event_id = e.event_id
where c.event_id is null
    or e.n_mentions <> c.n_mentions
    or e.n_articles <> c.n_articles
    or e.n_independent_sources <> c.n_independent_sources
    or e.n_independent_sources > e.n_articles
    or e.n_articles > e.n_mentions
