-- Floor of a / b for integers a >= 0 and b > 0, exact on every engine.
{% macro int_div(a, b) -%}
    {{ return(adapter.dispatch('int_div', 'engagement_scoring')(a, b)) }}
{%- endmacro %}

{% macro default__int_div(a, b) -%}
    cast(floor(({{ a }}) / ({{ b }})) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro duckdb__int_div(a, b) -%}
    (({{ a }}) // ({{ b }}))
{%- endmacro %}

{% macro spark__int_div(a, b) -%}
    (({{ a }}) div ({{ b }}))
{%- endmacro %}

-- numerator / denominator of two integers (denominator > 0) rounded half away
-- from zero to `scale` decimals, computed exactly (no floating point), as
-- decimal(18, scale).
{% macro ratio_rounded(numerator, denominator, scale) -%}
    {%- set factor = 10 ** scale -%}
    cast(
        cast(
            sign({{ numerator }}) * {{ int_div(
                '2 * abs(' ~ numerator ~ ') * ' ~ factor ~ ' + (' ~ denominator ~ ')',
                '2 * (' ~ denominator ~ ')',
            ) }}
            as decimal(38, 0)
        ) {% if scale > 0 %}* {{ '0.' ~ '0' * (scale - 1) ~ '1' }}{% endif %}
        as decimal(18, {{ scale }})
    )
{%- endmacro %}

-- A health measure's score: 100 x clamp((value - red_at) / (green_at - red_at),
-- 0, 1); green_at < red_at means lower is better. Null value, null score.
{% macro measure_score(value, red_at, green_at) -%}
    case
        when {{ value }} is not null
            then 100.0 * greatest(
                0.0,
                least(1.0, ({{ value }} - {{ red_at }}) / ({{ green_at }} - {{ red_at }}))
            )
    end
{%- endmacro %}

-- A double rounded half away from zero to `scale` decimals, as decimal. The
-- double is first rounded to 9 decimals so that 72.25, held as
-- 72.24999999999999, rounds to 72.3 on every engine.
{% macro double_rounded(value, scale, precision=18) -%}
    cast(round(cast({{ value }} as decimal(38, 9)), {{ scale }}) as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}

-- Fail the query with `message_sql` (a text expression) as the error.
{% macro raise_error(message_sql) -%}
    {{ return(adapter.dispatch('raise_error', 'engagement_scoring')(message_sql)) }}
{%- endmacro %}

{% macro default__raise_error(message_sql) -%}
    error({{ message_sql }})
{%- endmacro %}

{% macro spark__raise_error(message_sql) -%}
    raise_error({{ message_sql }})
{%- endmacro %}
