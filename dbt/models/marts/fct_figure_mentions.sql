-- Incremental by mention, following int_figure_mentions__keyed: a build
-- recomputes the mentions of the value groups that model recomputed, replaces
-- those that changed and deletes mentions that are gone
-- (incremental_following_rows in macros/incremental.sql).
{{ incremental_following_rows('figure_mention_id', 'int_figure_mentions__keyed') }}

with mentions as ({{ followed_rows('int_figure_mentions__keyed', 'value_group') }}),

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
{{ changed_rows_only('figure_mention_id', 'final') }}
