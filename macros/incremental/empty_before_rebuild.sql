-- Pre-hook of int_activities_classified: when an incremental run cannot
-- prove its batch complete (activities_batch() is none), empty the model's
-- own table first, so that the run rebuilds it from every raw row and no
-- row of an earlier source survives.
{% macro empty_before_rebuild() -%}
    {%- if is_incremental() and activities_batch() is none -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}
