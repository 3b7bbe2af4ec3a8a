-- One row per opportunity-contact link from the Fivetran connectors that are
-- on (of salesforce, pardot, hubspot), in the raw_opportunity_contacts
-- contract: what stg_raw__opportunity_contacts reads in place of
-- raw_opportunity_contacts while any connector is on. Empty when none of
-- them is on.
{{ config(enabled=connectors_on() | length > 0, materialized="table") }}
{{ union_connector_models(
    'opportunity_contacts', ['salesforce', 'pardot', 'hubspot'],
    columns=raw_source_columns('raw_opportunity_contacts').columns,
) }}
