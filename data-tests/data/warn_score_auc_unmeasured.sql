-- With var min_score_auc set, warns (one row) when no live snapshot of
-- score_quality has an auc (no snapshot date, or every snapshot all or none
-- converted): the guard assert_score_auc_above_minimum then passes without
-- evidence, and this says so (SPEC 3.12).
{{ config(severity='warn') }}
{%- set minimum = var('min_score_auc', none) %}
with quality as (
    select * from {{ ref('score_quality') }}
),

live_auc as (
    select count(auc) as snapshots
    from quality
    where rule_set = 'live'
)

select
    live_auc.snapshots,
    'var min_score_auc is set but no snapshot has an auc: the guard passed unchecked' as problem
from live_auc
where
    {{ 'true' if minimum is not none else 'false' }}
    and live_auc.snapshots = 0
