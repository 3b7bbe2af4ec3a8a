-- The UTC shapes of the fast path: a subset of timestamp_pattern() (date,
-- T or space, HH:MM:SS with an optional fraction, then Z, " UTC" or nothing).
{% macro utc_timestamp_pattern() -%}
    {{ return('[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]{1,9})?(?:Z| UTC)?') }}
{%- endmacro %}
