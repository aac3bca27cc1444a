{#- A name as lower-case ASCII words separated by single spaces: accents dropped,
    hyphens split words ('Al-Kaabi' -> 'al kaabi'), other punctuation removed. -#}
{% macro name_words(expr) -%}
trim(regexp_replace(regexp_replace(regexp_replace(strip_accents(lower({{ expr }})), '[-‐–]', ' ', 'g'), '[^a-z0-9 ]+', '', 'g'), ' +', ' ', 'g'))
{%- endmacro %}
