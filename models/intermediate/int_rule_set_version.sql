-- One row: the fingerprint of the active scoring rules. It changes exactly when
-- a scoring field (all but description) of an active rule changes, or a rule is
-- added, removed, activated or deactivated.
with rules as (
    select * from {{ ref('int_active_rules') }}
),

{{ rule_set_fingerprint('rules') }}

select * from fingerprint
