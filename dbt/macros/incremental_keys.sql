{#- The keys each keyed incremental model recomputes (see delete_changed_keys). -#}

{#- fct_claims: the claim clusters the changed articles' claims were in (this
    model's previous rows) and are in now (int_claims, already rebuilt). -#}
{% macro fct_claims_changed_keys() -%}
select claim_cluster_id from {{ this }} where article_id in {{ changed_articles() }}
union all
select claim_cluster_id from {{ ref('int_claims') }} where article_id in {{ changed_articles() }}
{%- endmacro %}

{#- int_figures: the figures whose set of mention rows differs from the one
    they were built from (mentions_hash), which covers a figure gaining or
    losing a mention, a mention re-keyed by another article's statement, an
    article re-clustered or re-dated, and figures that vanished. -#}
{% macro int_figures_changed_keys() -%}
select coalesce(now.figure_id, before.figure_id) as figure_id
from (
    select figure_id, {{ mentions_hash('m') }} as mentions_hash
    from {{ ref('int_figure_mentions__keyed') }} as m
    group by figure_id
) as now
full outer join (select figure_id, mentions_hash from {{ this }}) as before
    on before.figure_id = now.figure_id
where now.mentions_hash is distinct from before.mentions_hash
{%- endmacro %}

{#- Order-free hash of a figure's mention rows (``alias``: the whole row of
    int_figure_mentions__keyed). -#}
{% macro mentions_hash(alias) -%}
{{ rows_fingerprint('hash(' ~ alias ~ ')') }}
{%- endmacro %}

{#- Fingerprint of a group of rows whatever their order: the row count and the
    xor of one hash per row (``row_hash``, a ubigint expression). The count
    tells apart groups whose hashes cancel out (a row twice). Used for the
    articles' fingerprints in int_article_changes and the figures' mentions. -#}
{% macro rows_fingerprint(row_hash) -%}
cast(count(*) as varchar) || ':' || cast(bit_xor({{ row_hash }}) as varchar)
{%- endmacro %}

{#- int_figure_mentions__keyed: every rule that keys a figure mention compares
    it only with the mentions of its value group (unit, value, value_high,
    qualifier class), so a build recomputes the groups the changed articles'
    mentions were in (this model's previous rows) and are in now (their landing
    rows). A group holds the mentions of unchanged articles too: they are
    recomputed with it, as another article's statement can re-key them. -#}
{% macro figure_value_group(alias) -%}
{{ surrogate_key(figure_base_keys(alias).values() | list) }}
{%- endmacro %}

{#- The base key of a figure mention (``alias``: a row of stg_raw__figure_mentions),
    column name -> expression: the model's key columns and the value group are
    both made from it, so they cannot drift apart. -#}
{% macro figure_base_keys(alias) -%}
{{ return({
    'unit_key': unit_key(alias ~ '.unit'),
    'value_key': 'round(' ~ alias ~ '.value, 6)',
    'value_high_key': 'round(coalesce(' ~ alias ~ '.value_high, ' ~ alias ~ '.value), 6)',
    'qualifier_class': qualifier_class(alias ~ '.qualifier'),
}) }}
{%- endmacro %}

{% macro int_figure_mentions_changed_keys() -%}
select value_group from {{ this }} where article_id in {{ changed_articles() }}
union all
select {{ figure_value_group('m') }} as value_group
from {{ ref('stg_raw__figure_mentions') }} as m
where m.article_id in {{ changed_articles() }}
{%- endmacro %}

{#- int_event_mentions__keyed: the same by event group (event type and date
    key; an undated mention's date key is its claim cluster), within which a
    mention without actors adopts the only actor set stated. -#}
{% macro event_group(event_type_key, date_key) -%}
{{ surrogate_key([event_type_key, date_key]) }}
{%- endmacro %}

{% macro int_event_mentions_changed_keys() -%}
select event_group from {{ this }} where article_id in {{ changed_articles() }}
union all
select {{ event_group(event_type_key('m.event_type'),
                      event_date_key('m', 'claims.claim_cluster_id')) }} as event_group
from {{ ref('stg_raw__event_mentions') }} as m
left join {{ ref('int_claims') }} as claims
    on claims.article_id = m.article_id and claims.claim_index = m.claim_index
where m.article_id in {{ changed_articles() }}
{%- endmacro %}
