with conflicts as (select * from {{ ref('int_figure_conflicts') }}),

figures as (select * from {{ ref('int_figures') }}),

final as (
    select
        conflicts.conflict_id,
        conflicts.figure_id_a,
        conflicts.figure_id_b,
        a.value as value_a,
        a.value_high as value_high_a,
        a.qualifier as qualifier_a,
        b.value as value_b,
        b.value_high as value_high_b,
        b.qualifier as qualifier_b,
        a.unit,
        a.measure,
        a.measure_key,
        a.period_text as period_text_a,
        b.period_text as period_text_b,
        a.period_year,
        a.actor_names,
        a.article_ids as article_ids_a,
        b.article_ids as article_ids_b,
        cast(a.n_articles as integer) as n_articles_a,
        cast(b.n_articles as integer) as n_articles_b,
    from conflicts
    inner join figures as a on a.figure_id = conflicts.figure_id_a
    inner join figures as b on b.figure_id = conflicts.figure_id_b
)

select * from final
