-- Pre-hook of int_daily_points: delete the rows of the survivors this run
-- rescores (int_points_rescored), so that a survivor no longer scored keeps
-- no row and a rescored one only its new rows; all of them when nothing was
-- held (empties_points) or the list is not this run's (the model selected
-- without int_points_rescored). Decided in SQL, by int_points_rescored's rows.
{% macro delete_rescored_points() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            contact_id in (select rescored.contact_id from {{ ref('int_points_rescored') }} as rescored)
            or exists (
                select 1
                from {{ ref('int_points_rescored') }} as rescored
                where
                    rescored.empties_points
                    or rescored.decided_at <> {{ run_started_timestamp() }}
            )
    {%- endif -%}
{%- endmacro %}
