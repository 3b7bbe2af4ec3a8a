-- A UTC timestamp from a timestamp or from ISO-8601 text:
--   YYYY-MM-DD[(T| )HH:MM[:SS[.ffffff]]][ ][Z | UTC | +HH | +HHMM | +HH:MM]
-- Text without an offset is UTC, a bare date is midnight UTC. Anything else,
-- including impossible dates and times, is null.

-- The accepted text forms (hours 00-23, minutes and seconds 00-59, also in
-- offsets); groups: 1 date, 2 time, 3 offset sign, 4 offset hours, 5 offset
-- minutes.
{% macro timestamp_pattern() -%}
    {{ return('^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]((?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.][0-9]{1,6})?)?))? *(?:Z|UTC|([-+])((?:[01][0-9]|2[0-3])):?([0-5][0-9])?)?$') }}
{%- endmacro %}

{% macro parse_timestamp(column) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'engagement_scoring')(column)) }}
{%- endmacro %}

-- DuckDB: the common UTC shapes exactly as written (no surrounding spaces,
-- upper-case Z or UTC, or no offset) go straight to DuckDB's timestamp cast,
-- which reads them to the same instant; every other text is validated by the
-- full pattern and read by DuckDB's timestamptz parser, or by the portable
-- parser below for the few accepted forms DuckDB's does not read (a lone date
-- with an offset, a space before the offset). Same results as the portable
-- parser, at a fraction of its cost per row.
{% macro duckdb__parse_timestamp(column) -%}
    {%- set raw = as_text(column) -%}
    {%- set text = 'upper(trim(' ~ raw ~ '))' -%}
    case
        when regexp_full_match({{ raw }}, '{{ utc_timestamp_pattern() }}')
            then try_cast({{ raw }} as {{ dbt.type_timestamp() }})
        when regexp_full_match({{ text }}, '{{ timestamp_pattern() }}')
            then coalesce(
                cast(try_cast({{ text }} as timestamptz) as {{ dbt.type_timestamp() }}),
                {{ default__parse_timestamp(column) }}
            )
    end
{%- endmacro %}

-- The UTC shapes of the fast path: a subset of timestamp_pattern() (date,
-- T or space, HH:MM:SS with an optional fraction, then Z, " UTC" or nothing).
{% macro utc_timestamp_pattern() -%}
    {{ return('[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]{1,6})?(?:Z| UTC)?') }}
{%- endmacro %}

{% macro default__parse_timestamp(column) -%}
    {%- set text = 'upper(trim(' ~ as_text(column) ~ '))' -%}
    {%- set pattern = timestamp_pattern() -%}
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
