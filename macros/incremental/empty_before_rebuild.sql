-- Pre-hook of int_activities_classified: when the run's batch decision
-- (int_activities_batch) is to rebuild, empty the model's own table first, so
-- that the run classifies every raw row into an empty table and no row of an
-- earlier source survives; also when the decision is not this run's (the
-- model selected without it). Decided in SQL, by the decision's row:
-- nothing is carried in compiled SQL.
{% macro empty_before_rebuild() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where exists (
            select 1
            from {{ ref('int_activities_batch') }} as batch
            where
                batch.must_rebuild
                or batch.decided_at <> {{ run_started_timestamp() }}
        )
    {%- endif -%}
{%- endmacro %}
