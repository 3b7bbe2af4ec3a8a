-- Fivetran's history mode keeps every version of a record, the current one
-- with _fivetran_active true; soft deletes set _fivetran_deleted. These read
-- them on any table: an absent column (a text null) means current, not
-- deleted.

-- Whether the row is a current version (_fivetran_active true or absent).
{% macro fivetran_active() -%}
    coalesce({{ read_bool('_fivetran_active') }}, true)
{%- endmacro %}

-- The window order putting a record's current version first: active rows,
-- then the latest _fivetran_start, then the latest _fivetran_synced.
{% macro fivetran_current_first() -%}
    case when {{ fivetran_active() }} then 0 else 1 end asc,
    {{ parse_timestamp('_fivetran_start') }} desc nulls last,
    {{ parse_timestamp('_fivetran_synced') }} desc nulls last
{%- endmacro %}

-- Whether the record is deleted: the source's own flag (`flag`, e.g.
-- is_deleted), a Fivetran soft delete, or no current version left (history
-- mode closes a deleted record's last version).
{% macro fivetran_is_deleted(flag=none) -%}
    (
        {% if flag %}{{ parse_bool(flag) }} or {% endif %}{{ parse_bool('_fivetran_deleted') }}
        or not {{ fivetran_active() }}
    )
{%- endmacro %}

-- The window order putting an Account Engagement (Pardot) record's current
-- row first (its tables have no history mode): a row not soft-deleted, then
-- the latest _fivetran_synced.
{% macro pardot_current_first() -%}
    case when {{ parse_bool('_fivetran_deleted') }} then 1 else 0 end asc,
    {{ parse_timestamp('_fivetran_synced') }} desc nulls last
{%- endmacro %}
