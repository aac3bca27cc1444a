-- Loaded in Dagster as an asset check on fct_figures.
{{ config(meta={'dagster': {'ref': {'name': 'fct_figures'}}}) }}
-- No fact without a mention: every figure is backed by at least one mention.
select f.figure_id
from {{ ref('fct_figures') }} as f
left join {{ ref('fct_figure_mentions') }} as m on m.figure_id = f.figure_id
where m.figure_id is null
