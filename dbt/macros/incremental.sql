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
insert or replace into changes.incremental_builds values ('{{ this.identifier }}', '{{ invocation_id }}');
delete from {{ this }} where {{ key }} in (select {{ key }} from {{ changed_keys_relation() }})
{%- else -%}
{#- a full build: the relation exists (empty) for the marts that follow (below) -#}
create table if not exists {{ changed_keys_relation() }} ({{ key }} varchar)
{%- endif -%}
{%- endmacro %}

{#- Marts that follow a keyed incremental model (``upstream``, recomputed by
    ``upstream_key``: its value or event groups, its figures) recompute what it
    recomputed: the rows of those keys, and none of the others, which it left
    as they were. Rows are keyed by ``key`` (a mention, an event, a figure):
    the rows of the upstream's recomputed keys are computed again, and rows
    whose key no longer exists upstream (vanished with their article or
    re-keyed) are deleted. The bridges (incremental_following) delete and
    insert again every recomputed row; the marts with one row per key
    (incremental_following_rows, below) replace only those that changed. When
    the upstream did not build incrementally in this invocation (a full build
    of it, or a build that skipped it), there is no record of what it changed,
    and the follower computes every row again instead: the bridges delete them
    all first, the others replace those that differ
    (changes.incremental_builds, written by delete_changed_keys). -#}
{% macro upstream_built_incrementally(upstream) -%}
exists (
    select 1 from changes.incremental_builds
    where model = '{{ upstream }}' and invocation_id = '{{ invocation_id }}'
)
{%- endmacro %}

{#- Filter of a follower's upstream rows (``alias``: the upstream's rows):
    those the upstream recomputed. -#}
{% macro recomputed_upstream_rows(upstream, upstream_key, alias) -%}
(
    not {{ upstream_built_incrementally(upstream) }}
    or {{ alias }}.{{ upstream_key }} in (select {{ upstream_key }} from changes."{{ upstream }}")
)
{%- endmacro %}

{#- A follower's upstream rows: in an incremental build, those recomputed. -#}
{% macro followed_rows(upstream, upstream_key) -%}
select * from {{ ref(upstream) }} as u
{%- if is_incremental() %}
where {{ recomputed_upstream_rows(upstream, upstream_key, 'u') }}
{%- endif %}
{%- endmacro %}

{#- Pre-hook of a follower (see above): the rows of the recomputed keys, and
    those whose key is gone upstream. -#}
{% macro delete_following(key, upstream, upstream_key) -%}
{%- if is_incremental() -%}
delete from {{ this }} as t
where t.{{ key }} in (select {{ key }} from ({{ followed_rows(upstream, upstream_key) }}))
    or {{ gone_upstream(key, upstream, 't') }}
{%- endif -%}
{%- endmacro %}

{#- A follower's row (``alias``) whose key no longer exists upstream. -#}
{% macro gone_upstream(key, upstream, alias) -%}
not exists (select 1 from {{ ref(upstream) }} as u where u.{{ key }} = {{ alias }}.{{ key }})
{%- endmacro %}

{#- A follower with one row per key (an event, a mention) replaces only the rows
    that changed: its select keeps the recomputed rows that differ from the row
    it holds for their key (changed_rows_only), dbt's delete+insert swaps those
    by key, and the pre-hook deletes the keys gone upstream. When a group of
    thousands of mentions is recomputed for one new mention, the rows that come
    out the same are neither deleted nor inserted again: at 10,000 articles,
    deleting and inserting the 170,000 unchanged rows of a large value group
    cost seconds of primary-key upkeep at commit. Rows are compared by key and
    a hash of the whole row (a changed row that keeps its hash, a 64-bit
    collision, would be kept; the table's columns are in the select's order, as
    the contract lists them). -#}
{% macro incremental_following_rows(key, upstream) -%}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=key,
    pre_hook="{{ delete_vanished('" ~ key ~ "', '" ~ upstream ~ "') }}",
) }}
{%- endmacro %}

{% macro delete_vanished(key, upstream) -%}
{%- if is_incremental() -%}
delete from {{ this }} as t where {{ gone_upstream(key, upstream, 't') }}
{%- endif -%}
{%- endmacro %}

{#- Filter of a follower's final rows (``alias``): new or changed ones. -#}
{% macro changed_rows_only(key, alias) -%}
{%- if is_incremental() -%}
where not exists (
    select 1 from {{ this }} as held
    where held.{{ key }} = {{ alias }}.{{ key }} and hash(held) = hash({{ alias }})
)
{%- endif -%}
{%- endmacro %}

{#- The config of a follower: incremental, appending what the pre-hook deleted. -#}
{% macro incremental_following(key, upstream, upstream_key) -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_following('" ~ key ~ "', '" ~ upstream ~ "', '" ~ upstream_key ~ "') }}",
) }}
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
