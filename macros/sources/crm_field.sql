-- The CRM's current value of a field the push job writes, read from the
-- Fivetran column that var `name` names (e.g. salesforce_contact_score_field:
-- engagement_score__c), as text; a text null while the var is unset, and
-- when the table lacks the column (select_connector_columns reads it as
-- null). docs/connectors.md lists the vars.
{% macro crm_field(name) -%}
    {%- set column = crm_field_column(name) -%}
    {%- if column -%}
        {{ as_text(column) }}
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

-- The column var `name` names, trimmed and lower-cased as Fivetran lands
-- column names; none while the var is unset or blank. Anything but a plain
-- column name fails compilation naming the var.
{% macro crm_field_column(name) -%}
    {%- set value = var(name, none) -%}
    {%- if value is none or (value | string | trim) == '' -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set column = value | string | trim | lower -%}
    {%- if not modules.re.fullmatch('[a-z_][a-z0-9_]*', column) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must name a column of the Fivetran table (e.g."
            ~ " engagement_score__c, property_engagement_score); got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {{- return(column) -}}
{%- endmacro %}

-- `columns` plus the columns the vars `names` name (those not listed yet):
-- the column list of a select_connector_columns call.
{% macro with_crm_field_columns(columns, names) -%}
    {%- set all_columns = columns | list -%}
    {%- for name in names -%}
        {%- set column = crm_field_column(name) -%}
        {%- if column and column not in all_columns -%}
            {%- do all_columns.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(all_columns) -}}
{%- endmacro %}
