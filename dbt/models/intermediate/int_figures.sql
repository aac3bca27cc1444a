-- One row per distinct figure (fact) with what conflict detection compares.
-- Incremental by figure: a build recomputes the figures whose mention rows
-- changed (int_figures_changed_keys in macros/incremental_keys.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_changed_keys('figure_id', int_figures_changed_keys()) }}",
) }}

with mentions as (
    select * from {{ ref('int_figure_mentions__keyed') }}
    {% if is_incremental() %}
    where figure_id in (select figure_id from {{ changed_keys_relation() }})
    {% endif %}
),

concepts as (select * from {{ ref('measure_concepts') }}),

-- What each figure measures, from the controlled vocabulary: the concept of
-- the best-priority keyword found at a word start in any of its mentions'
-- measure phrases. The pairs whose phrase contains the keyword at all come
-- first, materialized, and only they get the word-start pattern: a pattern made
-- from a column is compiled per row, and over every (mention, keyword) pair that
-- was seconds at 1,000 articles (a fraction of that now).
keyword_pairs as materialized (
    select
        mentions.figure_id,
        lower(coalesce(mentions.measure, '')) as measure_lower,
        concepts.keyword,
        concepts.concept,
        concepts.priority,
    from mentions
    inner join concepts
        on contains(lower(coalesce(mentions.measure, '')), concepts.keyword)
),

mention_concepts as (
    select figure_id, concept, priority,
    from keyword_pairs
    where regexp_matches(measure_lower, '\b' || keyword)
),

figure_concepts as (
    select
        figure_id,
        arg_min(concept, priority) as measure_concept,
    from mention_concepts
    group by figure_id
),

aggregated as (
    select
        figure_id,
        min(value_key) as value,
        max(value_high) as value_high,
        mode(unit order by unit) as unit,
        min(unit_key) as unit_key,
        mode(qualifier order by qualifier) as qualifier,
        min(qualifier_class) as qualifier_class,
        mode(measure order by measure) filter (where measure is not null) as measure,
        min(measure_key) as measure_key,
        mode(period_text order by period_text) filter (where period_text is not null) as period_text,
        min(period_year) as period_year,
        list_sort(list_distinct(flatten(list(actor_names)))) as actor_names,
        count(*) as n_mentions,
        count(distinct article_id) as n_articles,
        count(distinct rewrite_cluster_id) as n_independent_sources,
        list_sort(list_distinct(list(article_id))) as article_ids,
        min(published_date) as first_article_date,
        max(published_date) as last_article_date,
        first(claim_text order by published_date nulls last, article_id, char_start)
            filter (where claim_text is not null) as example_sentence,
        bool_and(is_forecast) as is_forecast,
        bool_or(qualifier = 'about') as is_approximate,
        {{ mentions_hash('mentions') }} as mentions_hash,
    from mentions
    group by figure_id
),

final as (
    select
        aggregated.*,
        figure_concepts.measure_concept,
        list_transform(actor_names, lambda n: {{ surrogate_key(['n']) }}) as actor_ids,
        {{ name_list_key('actor_names') }} as actor_key,
        -- The interval of values the statement allows; null = unbounded.
        case qualifier_class
            when 'upper' then null
            else value * (case when is_approximate then 0.9 else 1 end)
        end as low_bound,
        case qualifier_class
            when 'lower' then null
            else coalesce(value_high, value) * (case when is_approximate then 1.1 else 1 end)
        end as high_bound,
    from aggregated
    left join figure_concepts using (figure_id)
)

select * from final
