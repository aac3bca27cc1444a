-- Loaded in Dagster as an asset check on dim_actors.
{{ config(meta={'dagster': {'ref': {'name': 'dim_actors'}}}) }}
-- Every actor mention's span is its surface form in the article body.
select m.actor_mention_id, m.article_id, m.char_start, m.char_end, m.surface_text
from {{ ref('int_actor_mentions') }} as m
inner join {{ ref('dim_articles') }} as a on a.article_id = m.article_id
where m.char_start < 0
    or m.char_end < m.char_start
    or substr(a.body_text, m.char_start + 1, m.char_end - m.char_start) is distinct from m.surface_text
