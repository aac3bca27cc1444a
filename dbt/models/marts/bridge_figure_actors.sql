with figures as (select * from {{ ref('int_figures') }}),

final as (
    select distinct
        figure_id,
        {{ surrogate_key(['canonical_name']) }} as actor_id,
        canonical_name,
    from (select figure_id, unnest(actor_names) as canonical_name from figures)
    where canonical_name is not null
)

select * from final
