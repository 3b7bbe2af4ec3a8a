-- The accounts' guard (SPEC 3.13, the guard of 3.7 for accounts): with var
-- max_account_automation_entries set, the build fails when more
-- crm_account_sync_deltas rows than that enter a buying stage that triggers
-- automation (entered_automation), giving the count per stage, so that a
-- change of roles, stages or rules cannot make thousands of accounts MQAs
-- in the CRM unreviewed. Off (passes) while the var is null.
{%- set limit = var('max_account_automation_entries', none) %}
{%- if limit is not none %}
    {%- set limit = number_var('max_account_automation_entries', integer=true, min_value=0) %}
{%- endif %}
with deltas as (
    select * from {{ ref('crm_account_sync_deltas') }}
),

stage_counts as (
    -- rows entering each automation stage
    select
        buying_stage,
        count(*) as entering_rows
    from deltas
    where entered_automation
    group by buying_stage
),

problems as (
    select
        {{ dbt.concat([
            as_text('sum(entering_rows)'),
            "' account sync rows enter an automation stage ('",
            ordered_listagg(
                dbt.concat(['buying_stage', "': '", as_text('entering_rows')]),
                'buying_stage',
                "', '",
            ),
            "'), more than var max_account_automation_entries = " ~ limit
            ~ ": review the change (crm_account_sync_deltas) before any push,"
            ~ " or raise the var'",
        ]) }} as problem
    from stage_counts
    having
        {{ 'true' if limit is not none else 'false' }}
        and sum(entering_rows) > {{ limit if limit is not none else 0 }}
)

{{ fail_naming_problems(
    'problems', 'crm_account_sync_deltas', 'would make too many accounts MQAs'
) }}
