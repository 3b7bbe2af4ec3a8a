-- The guard of SPEC 3.12: with var min_score_auc set, the build fails when
-- the mean of the live rules' published (rounded), non-null auc values over
-- the snapshots of score_quality is below it, giving the mean (6 decimals)
-- and the number of snapshots with an auc: a score that does not rank
-- future pipeline above the rest should not drive CRM automation. Off
-- (passes) while the var is null; with no snapshot holding an auc it passes,
-- and warn_score_auc_unmeasured says so.
{%- set minimum = var('min_score_auc', none) %}
{%- if minimum is not none %}
    {%- set minimum = number_var('min_score_auc') %}
{%- endif %}
with quality as (
    select * from {{ ref('score_quality') }}
),

live_auc as (
    select
        count(auc) as snapshots,
        sum(auc) as auc_sum
    from quality
    where
        rule_set = 'live'
        and auc is not null
),

problems as (
    select
        {{ dbt.concat([
            "'the live rules'' mean auc is '",
            as_text('cast(round(auc_sum / snapshots, 6) as decimal(18, 6))'),
            "' over '",
            as_text('snapshots'),
            "' snapshots with an auc, below var min_score_auc = " ~ minimum
            ~ ": the score does not rank future pipeline well enough (see score_quality and rule_lift)'",
        ]) }} as problem
    from live_auc
    where
        {{ 'true' if minimum is not none else 'false' }}
        and snapshots > 0
        and auc_sum < {{ minimum if minimum is not none else 0 }} * snapshots
)

{{ fail_naming_problems('problems', 'score_quality', 'is below var min_score_auc') }}
