-- Loaded in Dagster as an asset check on dim_articles.
{{ config(meta={'dagster': {'ref': {'name': 'dim_articles'}}}) }}
-- Only articles with status 'ok' feed the facts: a removed or quarantined
-- file's rows never count.
select 'claim' as kind, c.article_id
from {{ ref('fct_claims') }} as c
inner join {{ ref('dim_articles') }} as a on a.article_id = c.article_id
where a.status <> 'ok'
union all
select 'figure_mention', m.article_id
from {{ ref('fct_figure_mentions') }} as m
inner join {{ ref('dim_articles') }} as a on a.article_id = m.article_id
where a.status <> 'ok'
union all
select 'event_mention', m.article_id
from {{ ref('fct_event_mentions') }} as m
inner join {{ ref('dim_articles') }} as a on a.article_id = m.article_id
where a.status <> 'ok'
