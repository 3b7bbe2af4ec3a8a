-- A UTC timestamp from a timestamp or from ISO-8601 text:
--   YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][ ][Z | UTC | +HH | +HHMM | +HH:MM]
-- Text without an offset is UTC, a bare date is midnight UTC; a fraction has
-- 1 to 9 digits, those beyond microseconds dropped. Anything else, including
-- impossible dates and times, is null. Accepted forms: timestamp_pattern().
{% macro parse_timestamp(column) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'engagement_scoring')(column)) }}
{%- endmacro %}

-- DuckDB: the common UTC shapes exactly as written (no surrounding spaces,
-- upper-case Z or UTC, or no offset) go straight to DuckDB's timestamp cast,
-- which reads them to the same instant; every other text is validated by the
-- full pattern and read by DuckDB's timestamptz parser, or by the portable
-- parser below for the few accepted forms DuckDB's does not read (a lone date
-- with an offset, a space before the offset). DuckDB's casts drop fraction
-- digits beyond microseconds, as the portable parser does. Same results as
-- the portable parser, at a fraction of its cost per row.
{% macro duckdb__parse_timestamp(column) -%}
    {%- set raw = as_text(column) -%}
    {%- set text = 'upper(' ~ trim_text(raw) ~ ')' -%}
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

{% macro default__parse_timestamp(column) -%}
    {%- set text = 'upper(' ~ trim_text(as_text(column)) ~ ')' -%}
    {%- set pattern = timestamp_pattern() -%}
    {%- set date_part = regex_group(text, pattern, 1) -%}
    {#- HH:MM, HH:MM:SS or HH:MM:SS.fraction cut to microseconds (15 characters) -#}
    {%- set time_part = 'substr(' ~ regex_group(text, pattern, 2) ~ ', 1, 15)' -%}
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
