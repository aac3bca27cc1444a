with figures as (select * from {{ ref('int_figures') }}),

conflicts as (select * from {{ ref('int_figure_conflicts') }}),

conflicting as (
    select figure_id_a as figure_id from conflicts
    union
    select figure_id_b as figure_id from conflicts
),

final as (
    select
        figures.figure_id,
        figures.value,
        figures.value_high,
        figures.unit,
        figures.qualifier,
        figures.measure,
        figures.period_text,
        figures.period_year,
        figures.actor_ids,
        figures.actor_names,
        cast(figures.n_mentions as integer) as n_mentions,
        cast(figures.n_articles as integer) as n_articles,
        cast(figures.n_independent_sources as integer) as n_independent_sources,
        figures.first_article_date,
        figures.last_article_date,
        figures.example_sentence,
        figures.is_forecast,
        conflicting.figure_id is not null as has_conflict,
        figures.measure_key,
        figures.measure_concept,
        figures.qualifier_class,
    from figures
    left join conflicting on conflicting.figure_id = figures.figure_id
)

select * from final
