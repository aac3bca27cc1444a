-- One row per live figure mention with the natural key of the fact it states.
-- See the YAML for the rules; figure_id = surrogate of
-- (unit_key, value_key, value_high_key, qualifier_class, identity_measure_key, period_year).
-- Incremental by value group: a build recomputes the value groups the changed
-- articles' mentions touch (int_figure_mentions_changed_keys in
-- macros/incremental_keys.sql), every mention of those groups included.
-- depends_on: {{ ref('int_article_changes') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_changed_keys('value_group', int_figure_mentions_changed_keys()) }}",
) }}

with mentions as (
    select *, {{ figure_value_group('m') }} as value_group
    from {{ ref('stg_raw__figure_mentions') }} as m
),

{% if is_incremental() %}
mentions_of_changed_groups as (
    select * from mentions
    where value_group in (select value_group from {{ changed_keys_relation() }})
),
{% endif %}

live as (select * from {{ ref('int_articles__live') }}),

claims as (select * from {{ ref('int_claims') }}),

stated as (
    select
        mentions.*,
        live.published_date,
        live.rewrite_cluster_id,
        claims.claim_id,
        claims.assertion,
        claims.text as claim_text,
        coalesce(claims.claim_cluster_id, mentions.article_id || '#' || mentions.mention_index) as claim_group,
        {%- for name, expression in figure_base_keys('mentions').items() %}
        {{ expression }} as {{ name }},
        {%- endfor %}
        {{ measure_key('mentions.measure') }} as stated_measure_key,
        {{ period_year('mentions.period_text') }} as stated_period_year,
    from {{ 'mentions_of_changed_groups' if is_incremental() else 'mentions' }} as mentions
    inner join live on live.article_id = mentions.article_id
    left join claims
        on claims.article_id = mentions.article_id
        and claims.claim_index = mentions.claim_index
),

-- Paraphrases of one claim (same claim cluster) state one fact, whatever
-- words the extractor chose for the measure in each.
claim_measures as (
    select
        unit_key, value_key, value_high_key, qualifier_class, claim_group,
        min(stated_measure_key) as claim_measure_key,
    from stated
    group by all
),

with_claim_measure as (
    select stated.*, claim_measures.claim_measure_key,
    from stated
    inner join claim_measures using (unit_key, value_key, value_high_key, qualifier_class, claim_group)
),

-- A mention without a measure joins the only measure stated for that value.
base_measures as (
    select
        unit_key, value_key, value_high_key, qualifier_class,
        count(distinct claim_measure_key) as n_measures,
        max(claim_measure_key) as only_measure_key,
    from with_claim_measure
    group by all
),

with_measure as (
    select
        with_claim_measure.*,
        coalesce(
            claim_measure_key,
            case when base_measures.n_measures = 1 then base_measures.only_measure_key end
        ) as measure_key,
    from with_claim_measure
    inner join base_measures using (unit_key, value_key, value_high_key, qualifier_class)
),

-- A currency amount or a count of things ('1,700 UAVs', '$2.76 billion') is
-- specific enough to be one fact whatever words surround it; a percentage,
-- multiplier or duration ('17 percent', '20-year') also needs the same measure.
with_identity as (
    select
        *,
        case
            when unit_key in {{ generic_units() }} then measure_key
        end as identity_measure_key,
    from with_measure
),

-- A mention without a dated period ('currently') joins the only period stated
-- for the same value (and measure); with several, it stays apart.
base_periods as (
    select
        unit_key, value_key, value_high_key, qualifier_class, identity_measure_key,
        count(distinct stated_period_year) as n_periods,
        max(stated_period_year) as only_period_year,
    from with_identity
    group by all
),

final as (
    select
        {{ surrogate_key(['with_measure.article_id', 'with_measure.mention_index']) }} as figure_mention_id,
        {{ surrogate_key([
            'with_measure.unit_key', 'with_measure.value_key', 'with_measure.value_high_key',
            'with_measure.qualifier_class', 'with_measure.identity_measure_key',
            'coalesce(with_measure.stated_period_year, case when base_periods.n_periods = 1 then base_periods.only_period_year end)',
        ]) }} as figure_id,
        with_measure.article_id,
        with_measure.mention_index,
        with_measure.claim_index,
        with_measure.claim_id,
        with_measure.claim_group,
        with_measure.char_start,
        with_measure.char_end,
        with_measure.surface_text,
        with_measure.value,
        with_measure.value_high,
        with_measure.unit,
        with_measure.qualifier,
        with_measure.measure,
        with_measure.period_text,
        with_measure.actor_names,
        with_measure.unit_key,
        with_measure.value_key,
        with_measure.value_high_key,
        with_measure.qualifier_class,
        with_measure.stated_measure_key,
        with_measure.measure_key,
        with_measure.identity_measure_key,
        with_measure.stated_period_year,
        coalesce(
            with_measure.stated_period_year,
            case when base_periods.n_periods = 1 then base_periods.only_period_year end
        ) as period_year,
        coalesce(with_measure.assertion = 'forecast', false) as is_forecast,
        with_measure.claim_text,
        with_measure.published_date,
        with_measure.rewrite_cluster_id,
        with_measure.value_group,
    from with_identity as with_measure
    inner join base_periods
        on base_periods.unit_key = with_measure.unit_key
        and base_periods.value_key = with_measure.value_key
        and base_periods.value_high_key = with_measure.value_high_key
        and base_periods.qualifier_class = with_measure.qualifier_class
        and base_periods.identity_measure_key is not distinct from with_measure.identity_measure_key
)

select * from final
