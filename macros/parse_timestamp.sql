-- A UTC timestamp from a timestamp or from ISO-8601 text:
--   YYYY-MM-DD[(T| )HH:MM[:SS[.ffffff]]][ ][Z | UTC | +HH | +HHMM | +HH:MM]
-- Text without an offset is UTC, a bare date is midnight UTC. Anything else,
-- including impossible dates and times, is null.
{% macro parse_timestamp(column) -%}
    {%- set text = 'upper(trim(' ~ as_text(column) ~ '))' -%}
    {#- groups: 1 date, 2 time, 3 offset sign, 4 offset hours, 5 offset minutes -#}
    {%- set pattern = '^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]{1,6})?)?))? *(?:Z|UTC|([-+])([0-9]{2}):?([0-9]{2})?)?$' -%}
    {%- set date_part = regex_group(text, pattern, 1) -%}
    {%- set time_part = regex_group(text, pattern, 2) -%}
    {%- set local_text -%}
        {{ dbt.concat([
            date_part,
            "' '",
            "case when " ~ time_part ~ " = '' then '00:00:00'"
            ~ " when length(" ~ time_part ~ ") = 5 then " ~ dbt.concat([time_part, "':00'"])
            ~ " else " ~ time_part ~ " end",
        ]) }}
    {%- endset -%}
    {%- set offset_minutes -%}
        (case when {{ regex_group(text, pattern, 3) }} = '-' then -1 else 1 end)
        * (
            coalesce(cast(nullif({{ regex_group(text, pattern, 4) }}, '') as int), 0) * 60
            + coalesce(cast(nullif({{ regex_group(text, pattern, 5) }}, '') as int), 0)
        )
    {%- endset -%}
    case
        when {{ date_part }} <> ''
            then {{ add_minutes(
                try_cast(local_text, dbt.type_timestamp()),
                '-1 * (' ~ offset_minutes ~ ')',
            ) }}
    end
{%- endmacro %}

-- The date part of parse_timestamp, for date-typed raw columns.
{% macro parse_date(column) -%}
    cast({{ parse_timestamp(column) }} as date)
{%- endmacro %}
