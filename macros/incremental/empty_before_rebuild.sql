-- Pre-hook of int_activities_classified: when an incremental run cannot
-- prove its batch complete (activities_batch() is none), empty the model's
-- own table first, so that the run rebuilds it from every raw row and no
-- row of an earlier source survives. The model's compiled SQL carries
-- rebuild_marker() exactly then: the hook follows the decision the SQL was
-- compiled with, and the batch query (a scan of every raw row) runs once a
-- build. Without compiled SQL at hand it asks activities_batch() itself.
{% macro empty_before_rebuild() -%}
    {%- if is_incremental() -%}
        {%- set compiled = model.compiled_code if model.compiled_code is defined else none -%}
        {%- if (compiled is not none and rebuild_marker() in compiled)
            or (compiled is none and activities_batch() is none) -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

-- The comment int_activities_classified's compiled SQL holds when the run
-- rebuilds it from every raw row.
{% macro rebuild_marker() -%}
    {{ return('engagement_scoring: rebuild from every raw row') }}
{%- endmacro %}
