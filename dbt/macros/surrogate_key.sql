{#- A surrogate key from natural-key columns: md5 of the '|'-joined values, with
    nulls spelled out so (null, 'a') and ('', 'a') differ. Stable across runs
    for the same content. Usage: {{ surrogate_key(['article_id', 'claim_index']) }} -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|'
    {%- for column in columns %},
        coalesce(cast({{ column }} as varchar), '<null>')
    {%- endfor %}
    ))
{%- endmacro %}
