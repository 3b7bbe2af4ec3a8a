-- The relation a staging model reads configuration table `seed` from: the
-- package's own seed, unless var `<seed>_relation` names a replacement.
-- The replacement is either a model or seed of the root project (a bare
-- name, `my_scoring_rules`: a ref, so dbt builds it first) or a table dbt
-- does not manage (`schema.table` or `database.schema.table`). It must have
-- the seed's columns (any types: staging reads every value as text); its
-- rows go through the same configuration tests as the seed's. A replaced
-- seed is not loaded (seeds/_config__seeds.yml).
{% macro config_relation(seed) -%}
    {%- do check_package_vars() -%}
    {%- set replacement = var(seed ~ '_relation', none) -%}
    {%- if replacement is none or (replacement | string | trim) == '' -%}
        {#- two-argument ref: a host model named like the seed is never read -#}
        {{- return(ref('engagement_scoring', seed)) -}}
    {%- endif -%}
    {%- set parts = (replacement | string | trim).split('.') -%}
    {%- if parts | length == 1 -%}
        {{- return(ref(project_name, parts[0])) -}}
    {%- elif parts | length == 2 -%}
        {#- no database: the target's, and Spark takes none -#}
        {{- return(api.Relation.create(schema=parts[0], identifier=parts[1])) -}}
    {%- elif parts | length == 3 -%}
        {{- return(api.Relation.create(database=parts[0], schema=parts[1],
            identifier=parts[2])) -}}
    {%- endif -%}
    {{- exceptions.raise_compiler_error(
        "var " ~ seed ~ "_relation must name a model or seed of project " ~ project_name
        ~ " (my_" ~ seed ~ "), schema.table or database.schema.table; got '"
        ~ replacement ~ "'"
    ) -}}
{%- endmacro %}

-- Installed as a package (the root project is another one), the bundled
-- sample is never loaded (seeds/sample/_sample__seeds.yml): fail parsing with
-- what to set, rather than with dbt's "depends on a disabled node", while
-- var load_sample_data still says to read it. Likewise the package's time
-- spine is built there only on request, and its semantic models need a
-- day-grain one: fail naming var enable_time_spine, rather than with dbt's
-- "The semantic layer requires a time spine model", until the host says
-- whether it has its own.
{% macro check_package_vars() -%}
    {%- if project_name != 'engagement_scoring' and bool_var('load_sample_data', true) -%}
        {{- exceptions.raise_compiler_error(
            "engagement_scoring is installed as a package of " ~ project_name
            ~ ", where its bundled sample is not loaded: set vars load_sample_data: false"
            ~ " and raw_schema (the schema of your raw tables) in " ~ project_name
            ~ "'s dbt_project.yml (docs/package.md)"
        ) -}}
    {%- endif -%}
    {%- if project_name != 'engagement_scoring' and bool_var('enable_time_spine') is none -%}
        {{- exceptions.raise_compiler_error(
            "engagement_scoring is installed as a package of " ~ project_name
            ~ ", and its semantic models need a daily time spine: set var enable_time_spine"
            ~ " in " ~ project_name ~ "'s dbt_project.yml, true to build the package's"
            ~ " (engagement_scoring_time_spine), false if " ~ project_name
            ~ " has a day-grain time spine of its own (docs/package.md)"
        ) -}}
    {%- endif -%}
{%- endmacro %}
