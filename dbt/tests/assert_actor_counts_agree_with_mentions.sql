-- Loaded in Dagster as an asset check on dim_actors.
{{ config(meta={'dagster': {'ref': {'name': 'dim_actors'}}}) }}
-- n_mentions and n_articles of every actor agree with its actor mentions.
with counted as (
    select actor_id, count(*) as n_mentions, count(distinct article_id) as n_articles,
    from {{ ref('int_actor_mentions') }}
    group by actor_id
)

select d.actor_id
from {{ ref('dim_actors') }} as d
left join counted as c on c.actor_id = d.actor_id
where d.n_mentions <> coalesce(c.n_mentions, 0)
    or d.n_articles <> coalesce(c.n_articles, 0)
