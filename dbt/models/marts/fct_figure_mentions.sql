with mentions as (select * from {{ ref('int_figure_mentions__keyed') }}),

final as (
    select
        figure_mention_id,
        figure_id,
        article_id,
        claim_id,
        char_start,
        char_end,
        surface_text,
        mention_index,
        value,
        value_high,
        unit,
        qualifier,
        measure,
        period_text,
        actor_names,
    from mentions
)

select * from final
