-- The raw_activities columns of one Marketo activity_<type> table (an
-- import CTE of stg_marketo__activities named after the table): activity_type
-- is the row's activity_type_id, else `type_id`, the table's own; the asset a
-- click's link, a visit's webpage_url, else the primary attribute. Rows
-- Fivetran marks deleted are not read.
{% macro marketo_activity_select(table, type_id) -%}
    select
        {{ dbt.concat(["'marketo-'", clean_id(table ~ '.id')]) }} as activity_id,
        'marketo' as source_system,
        coalesce(
            {{ clean_id(table ~ '.activity_type_id') }}, '{{ type_id }}'
        ) as activity_type,
        {{ clean_id(table ~ '.lead_id') }} as contact_id,
        coalesce(
            {{ blank_to_null(table ~ '.link') }},
            {{ blank_to_null(table ~ '.webpage_url') }},
            {{ as_text(table ~ '.primary_attribute_value') }}
        ) as asset,
        {{ as_text(table ~ '.activity_date') }} as occurred_at,
        {{ as_text(table ~ '._fivetran_synced') }} as loaded_at
    from {{ table }}
    where not {{ parse_bool(table ~ '._fivetran_deleted') }}
{%- endmacro %}
