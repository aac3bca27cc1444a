{#- None of the given columns is null: one query (and one dbt node) per model
    instead of one per column. The marts state their non-null columns as
    contract constraints instead (DuckDB rejects a null on write); this test
    covers the staging, intermediate and seed tables. -#}
{% test not_null_columns(model, columns) %}
select *
from {{ model }}
where {% for column in columns -%}
    {{ column }} is null{% if not loop.last %} or {% endif %}
{%- endfor %}
{% endtest %}
