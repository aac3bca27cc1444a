-- Loaded in Dagster as an asset check on fct_claims.
{{ config(meta={'dagster': {'ref': {'name': 'fct_claims'}}}) }}
-- Every claim's span is its text in the article body.
select c.claim_id, c.article_id, c.char_start, c.char_end
from {{ ref('fct_claims') }} as c
inner join {{ ref('dim_articles') }} as a on a.article_id = c.article_id
where c.char_start < 0
    or c.char_end < c.char_start
    or substr(a.body_text, c.char_start + 1, c.char_end - c.char_start) is distinct from c.text
