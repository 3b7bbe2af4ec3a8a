-- One row per account from the Fivetran connectors that are on (of
-- salesforce, hubspot), in the raw_accounts contract: what the staging
-- models read in place of raw_accounts while any connector is on. Empty when
-- none of them is on. The CRM's buying group fields come from the fields the
-- vars <connector>_account_*_field name (docs/connectors.md); null while unset.
-- A table: the staging views read its typed columns many times over.
{{ config(enabled=connectors_on() | length > 0, materialized="table") }}
{{ union_connector_models(
    'accounts', ['salesforce', 'hubspot'],
    columns=raw_source_columns('raw_accounts').columns,
) }}
