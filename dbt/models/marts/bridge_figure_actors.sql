-- Incremental by figure, following int_figures: a build recomputes the
-- actors of the figures that model recomputed, and deletes figures that are
-- gone (macros/incremental.sql).
{{ incremental_following('figure_id', 'int_figures', 'figure_id') }}

with figures as ({{ followed_rows('int_figures', 'figure_id') }}),

final as (
    select distinct
        figure_id,
        {{ surrogate_key(['canonical_name']) }} as actor_id,
        canonical_name,
    from (select figure_id, unnest(actor_names) as canonical_name from figures)
    where canonical_name is not null
)

select * from final
