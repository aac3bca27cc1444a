-- Loaded in Dagster as an asset check on fct_figures.
{{ config(meta={'dagster': {'ref': {'name': 'fct_figures'}}}) }}
-- fct_figures.has_conflict is true exactly for the figures in fct_figure_conflicts,
-- and a conflict never pairs different periods or a forecast.
with in_conflict as (
    select figure_id_a as figure_id from {{ ref('fct_figure_conflicts') }}
    union
    select figure_id_b from {{ ref('fct_figure_conflicts') }}
)

select f.figure_id, 'flag mismatch' as problem
from {{ ref('fct_figures') }} as f
left join in_conflict as c on c.figure_id = f.figure_id
where f.has_conflict <> (c.figure_id is not null)
union all
select k.conflict_id, 'period or forecast'
from {{ ref('fct_figure_conflicts') }} as k
inner join {{ ref('fct_figures') }} as a on a.figure_id = k.figure_id_a
inner join {{ ref('fct_figures') }} as b on b.figure_id = k.figure_id_b
where a.period_year is distinct from b.period_year
    or a.is_forecast
    or b.is_forecast
    or a.figure_id >= b.figure_id
