-- Loaded in Dagster as an asset check on fct_event_mentions.
{{ config(meta={'dagster': {'ref': {'name': 'fct_event_mentions'}}}) }}
-- Every event mention's span is its text in the article body.
select m.event_mention_id, m.article_id, m.char_start, m.char_end, m.surface_text
from {{ ref('fct_event_mentions') }} as m
inner join {{ ref('dim_articles') }} as a on a.article_id = m.article_id
where m.char_start < 0
    or m.char_end < m.char_start
    or substr(a.body_text, m.char_start + 1, m.char_end - m.char_start) is distinct from m.surface_text
