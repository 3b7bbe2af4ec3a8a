-- Fails compilation with a clear message when var score_windows_days and the
-- points_<N>d columns declared in the model's YAML disagree (the marts'
-- contracts hold the window columns; SPEC 4).
{% macro check_window_columns() -%}
    {#- a unit test's `model` is the test itself, which declares no columns -#}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set declared = [] -%}
        {%- for name in model.columns.keys() if name.startswith('points_') and name.endswith('d') -%}
            {%- do declared.append(name) -%}
        {%- endfor -%}
        {%- set expected = [] -%}
        {%- for days in score_windows() -%}
            {%- do expected.append('points_' ~ days ~ 'd') -%}
        {%- endfor -%}
        {%- if declared | sort != expected | sort -%}
            {{ exceptions.raise_compiler_error(
                model.name ~ ": var score_windows_days " ~ (score_windows() | string)
                ~ " asks for columns " ~ (expected | join(', '))
                ~ " but the model's YAML declares " ~ ((declared | join(', ')) or 'none')
                ~ ". Update the window columns in models/marts/*.yml to match the var."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
