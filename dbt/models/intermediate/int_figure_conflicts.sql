-- Pairs of figures that measure the same thing (same unit, and same measure key
-- or measure concept) for
-- the same actors and the same period, whose stated values cannot both be true.
-- Not conflicts: different periods (trade in 2022 vs 2023), forecasts against
-- outcomes, 'more than 1,700' against '2,000', figures without a measure.
with figures as (select * from {{ ref('int_figures') }}),

candidates as (
    select
        a.figure_id as figure_id_a,
        b.figure_id as figure_id_b,
        a.low_bound as low_a,
        a.high_bound as high_a,
        b.low_bound as low_b,
        b.high_bound as high_b,
    from figures as a
    inner join figures as b
        on a.unit_key = b.unit_key
        -- Same measure: the same normalised phrase, or the same concept
        -- ('bilateral trade amounts to' / 'trade reached' are both trade).
        and (a.measure_key = b.measure_key or a.measure_concept = b.measure_concept)
        and a.actor_key = b.actor_key
        and a.period_year is not distinct from b.period_year
        and a.figure_id < b.figure_id
    where not a.is_forecast
        and not b.is_forecast
),

final as (
    select
        {{ surrogate_key(['figure_id_a', 'figure_id_b']) }} as conflict_id,
        figure_id_a,
        figure_id_b,
    from candidates
    where coalesce(high_a, 'infinity'::double) < coalesce(low_b, '-infinity'::double)
        or coalesce(high_b, 'infinity'::double) < coalesce(low_a, '-infinity'::double)
)

select * from final
