{#- Incremental builds: a run touches only what the changed articles touch.

    int_article_changes keeps one fingerprint per article over every landing row
    that article contributes (file, article, cluster, claims, mentions with their
    merged actor names, removed blocks, its byte-identical copies); the rows it
    writes in this invocation are the articles whose inputs changed since the
    last build. Per-article models delete and re-insert exactly those articles;
    aggregate models delete and re-insert the keys (claim clusters, figures)
    whose inputs changed. `dbt build --full-refresh` rebuilds everything, and
    the pipeline uses it whenever the last build did not succeed or the dbt
    project changed (dagster_project/defs/dbt/assets.py). -#}

{#- The articles whose landing rows changed since the last build (new, edited,
    removed, re-clustered, renamed actors): those int_article_changes wrote in
    this invocation. -#}
{% macro changed_articles() -%}
(select article_id from {{ ref('int_article_changes') }} where changed_by = '{{ invocation_id }}')
{%- endmacro %}

{#- Where a keyed model keeps the keys it recomputes in this invocation (schema
    `changes`, created on run start; never published to analysts). -#}
{% macro changed_keys_relation() -%}
changes."{{ this.identifier }}"
{%- endmacro %}

{#- Pre-hook of a per-article incremental model: removes the changed articles'
    rows (including articles that vanished: a delete+insert keyed on the new
    rows alone would keep theirs); the model then appends their new rows. -#}
{% macro delete_changed_articles() -%}
{%- if is_incremental() -%}
delete from {{ this }} where article_id in {{ changed_articles() }}
{%- endif -%}
{%- endmacro %}

{#- Pre-hook of a keyed incremental model: stores the keys whose rows must be
    recomputed (``keys_sql`` selects them, from this model's previous rows and
    the new upstream rows) and removes their rows; the model then appends the
    new rows of exactly those keys (see changed_keys_relation). -#}
{% macro delete_changed_keys(key, keys_sql) -%}
{%- if is_incremental() -%}
create or replace table {{ changed_keys_relation() }} as
    select distinct {{ key }} from ({{ keys_sql }}) where {{ key }} is not null;
delete from {{ this }} where {{ key }} in (select {{ key }} from {{ changed_keys_relation() }})
{%- endif -%}
{%- endmacro %}

{#- The config of a model incremental by article: the pre-hook deletes the
    changed articles' rows, the model appends their new rows. Contracted marts
    fail on a column change until a --full-refresh build (on_schema_change for
    the marts folder in dbt_project.yml). -#}
{% macro incremental_by_article() -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_changed_articles() }}",
) }}
{%- endmacro %}

{#- The articles a per-article data test must look at (a query of article_id,
    one row each, to join on). In an incremental build, the articles it
    changed: the other articles' rows come from unchanged landing rows through
    unchanged SQL (a changed project means a full build), so they are what an
    earlier build already tested. In a full build every article is changed. A
    `dbt test` on its own (or a build that did not rebuild int_article_changes)
    finds no changes of its invocation and tests every article. A join, not an
    `in ... or not exists` condition: DuckDB then reads only the changed
    articles' rows instead of filtering every row. -#}
{% macro articles_under_test() -%}
(
    select article_id from {{ changed_articles() }}
    union all
    select article_id from {{ ref('int_article_changes') }}
    where not exists {{ changed_articles() }}
)
{%- endmacro %}
