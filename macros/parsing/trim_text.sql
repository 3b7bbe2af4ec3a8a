-- Text without leading and trailing whitespace: spaces, tabs, line breaks
-- (LF, CR, vertical tab, form feed) and non-breaking spaces (U+00A0), the
-- same characters on every engine (each engine's own trim() removes a
-- different set).
{% macro trim_text(text_sql) -%}
    {%- set characters = "concat(' ', chr(9), chr(10), chr(11), chr(12), chr(13), chr(160))" -%}
    {{ return(adapter.dispatch('trim_text', 'engagement_scoring')(text_sql, characters)) }}
{%- endmacro %}

{% macro default__trim_text(text_sql, characters) -%}
    trim(both {{ characters }} from {{ text_sql }})
{%- endmacro %}

-- DuckDB: trim() with a character list costs four times the plain trim, and
-- almost no value has anything to remove; a text whose first and last
-- characters are neither whitespace nor control characters (code points 0-32)
-- nor U+00A0 is returned as it is.
{% macro duckdb__trim_text(text_sql, characters) -%}
    case
        when
            ascii({{ text_sql }}) <= 32
            or ascii({{ text_sql }}) = 160
            or ascii(reverse({{ text_sql }})) <= 32
            or ascii(reverse({{ text_sql }})) = 160
            then trim({{ text_sql }}, {{ characters }})
        else {{ text_sql }}
    end
{%- endmacro %}
