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
