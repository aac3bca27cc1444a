{#- Every row's span [char_start, char_end) is its text in its article's body
    (dim_articles.body_text): provenance to the character. Incremental builds
    check the articles they changed (macros/incremental.sql, articles_under_test). -#}
{% test span_matches_body(model, text_column) %}
select m.article_id, m.char_start, m.char_end, m.{{ text_column }}
from {{ articles_under_test() }} as under_test
inner join {{ model }} as m on m.article_id = under_test.article_id
inner join {{ ref('dim_articles') }} as a on a.article_id = m.article_id
where m.char_start < 0
    or m.char_end < m.char_start
    or substr(a.body_text, m.char_start + 1, m.char_end - m.char_start) is distinct from m.{{ text_column }}
{% endtest %}
