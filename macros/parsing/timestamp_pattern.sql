-- The accepted text forms (hours 00-23, minutes and seconds 00-59, also in
-- offsets; 1 to 9 fraction digits); groups: 1 date, 2 time, 3 offset sign,
-- 4 offset hours, 5 offset minutes.
{% macro timestamp_pattern() -%}
    {{ return('^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]((?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.][0-9]{1,9})?)?))? *(?:Z|UTC|([-+])((?:[01][0-9]|2[0-3])):?([0-5][0-9])?)?$') }}
{%- endmacro %}
