-- The decay model of `score` (var score_decay): 'none', 'half_life' or
-- 'linear', checked with the decay vars (positive day counts, a
-- non-negative percentage) whatever the model, so that a typo fails before
-- the model is switched on; anything else fails compilation naming the var.
{% macro score_decay() -%}
    {%- set mode = (var('score_decay', 'none') | string | trim | lower) -%}
    {%- if mode not in ['none', 'half_life', 'linear'] -%}
        {{ exceptions.raise_compiler_error(
            "var score_decay must be none, half_life or linear, got '"
            ~ (var('score_decay') | string) ~ "' (set it in dbt_project.yml or with --vars)"
        ) }}
    {%- endif -%}
    {%- do number_var('decay_half_life_days', greater_than=0) -%}
    {%- do number_var('decay_step_days', integer=true, min_value=1) -%}
    {%- do number_var('decay_step_pct', min_value=0) -%}
    {{- return(mode) -}}
{%- endmacro %}
