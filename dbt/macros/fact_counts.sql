{#
  Rows of a fact table (fct_figures, fct_events) whose n_mentions, n_articles and
  n_independent_sources disagree with its mention mart and the rewrite clusters of
  the mentions' articles, or break n_independent_sources <= n_articles <= n_mentions.
  Used by the singular tests assert_*_counts_agree_with_mentions.
#}
{% macro fact_counts_disagree(facts, mentions, key) %}
with counted as (
    select
        m.{{ key }},
        count(*) as n_mentions,
        count(distinct m.article_id) as n_articles,
        count(distinct a.rewrite_cluster_id) as n_independent_sources,
    from {{ mentions }} as m
    inner join {{ ref('dim_articles') }} as a on a.article_id = m.article_id
    group by m.{{ key }}
)

select f.{{ key }}
from {{ facts }} as f
left join counted as c on c.{{ key }} = f.{{ key }}
where c.{{ key }} is null
    or f.n_mentions <> c.n_mentions
    or f.n_articles <> c.n_articles
    or f.n_independent_sources <> c.n_independent_sources
    or f.n_independent_sources > f.n_articles
    or f.n_articles > f.n_mentions
{% endmacro %}
