-- Raw columns may arrive typed or as text: every reader casts to text first.
{% macro as_text(column) -%}
    cast({{ column }} as {{ dbt.type_string() }})
{%- endmacro %}

-- Text with blank (empty or only spaces) read as null; other text unchanged.
{% macro blank_to_null(column) -%}
    case when trim({{ as_text(column) }}) = '' then null else {{ as_text(column) }} end
{%- endmacro %}

-- An id: trimmed, blank is null.
{% macro clean_id(column) -%}
    nullif(trim({{ as_text(column) }}), '')
{%- endmacro %}

-- A code compared case-insensitively: lower-cased, trimmed, blank is null.
{% macro clean_code(column) -%}
    nullif(lower(trim({{ as_text(column) }})), '')
{%- endmacro %}

-- A boolean from a boolean or from true/false/1/0 text; anything else is false.
{% macro parse_bool(column) -%}
    coalesce(lower(trim({{ as_text(column) }})) in ('true', '1', 't', 'yes'), false)
{%- endmacro %}

-- A whole number from a number or text; text that is not an integer is null.
{% macro parse_int(column) -%}
    case
        when {{ regex_group(clean_id(column), '^([-+]?[0-9]{1,18})$', 1) }} <> ''
            then cast({{ clean_id(column) }} as {{ dbt.type_bigint() }})
    end
{%- endmacro %}

-- A decimal amount from a number or text; text that is not a number is null.
{% macro parse_decimal(column) -%}
    case
        when {{ regex_group(clean_id(column), '^([-+]?[0-9]{1,20}([.][0-9]*)?|[-+]?[.][0-9]+)$', 1) }} <> ''
            then cast({{ clean_id(column) }} as {{ dbt.type_numeric() }})
    end
{%- endmacro %}

-- Group `group` of the first match of `pattern` in `text_sql`, '' when none.
-- Patterns avoid backslashes: Spark unescapes them in string literals and
-- DuckDB does not.
{% macro regex_group(text_sql, pattern, group) -%}
    coalesce(regexp_extract({{ text_sql }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}
