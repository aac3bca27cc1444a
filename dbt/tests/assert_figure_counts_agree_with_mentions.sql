-- Loaded in Dagster as an asset check on fct_figures.
{{ config(meta={'dagster': {'ref': {'name': 'fct_figures'}}}) }}
-- n_mentions, n_articles and n_independent_sources of every figure agree with
-- its mentions and the rewrite clusters of their articles.
with counted as (
    select
        m.figure_id,
        count(*) as n_mentions,
        count(distinct m.article_id) as n_articles,
        count(distinct a.rewrite_cluster_id) as n_independent_sources,
    from {{ ref('fct_figure_mentions') }} as m
    inner join {{ ref('dim_articles') }} as a on a.article_id = m.article_id
    group by m.figure_id
)

select f.figure_id
from {{ ref('fct_figures') }} as f
left join counted as c on c.figure_id = f.figure_id
where c.figure_id is null
    or f.n_mentions <> c.n_mentions
    or f.n_articles <> c.n_articles
    or f.n_independent_sources <> c.n_independent_sources
    or f.n_independent_sources > f.n_articles
    or f.n_articles > f.n_mentions
