-- One row per opportunity from the Fivetran connectors that are on (of
-- salesforce, hubspot), in the raw_opportunities contract: what the staging
-- models read in place of raw_opportunities while any connector is on. Empty when
-- none of them is on.
-- A table: the staging views read its typed columns many times over.
{{ config(enabled=connectors_on() | length > 0, materialized="table") }}
{{ union_connector_models(
    'opportunities', ['salesforce', 'hubspot'],
    columns=raw_source_columns('raw_opportunities').columns,
) }}
