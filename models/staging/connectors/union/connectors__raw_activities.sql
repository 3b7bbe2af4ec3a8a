-- One row per activity from the Fivetran connectors that are on (of
-- pardot, hubspot, marketo), in the raw_activities contract: what the staging
-- models read in place of raw_activities while any connector is on. Empty when
-- none of them is on.
-- A table: the staging views read its typed columns many times over.
{{ config(enabled=connectors_on() | length > 0, materialized="table") }}
{{ union_connector_models(
    'activities', ['pardot', 'hubspot', 'marketo'],
    columns=raw_source_columns('raw_activities').columns,
) }}
