-- on-run-start hook: a seed file of this project that is empty (zero bytes,
-- not even its header line) fails the build at once naming the file and
-- the header it needs; dbt's own loader would stop with "a callable raised
-- a StopIteration exception". dbt stores each seed's sha256 when it parses,
-- and a zero-byte file has the sha256 of nothing.
{% macro check_seed_files() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set empty_sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' -%}
    {%- set problems = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'seed' and node.package_name == 'engagement_scoring'
        and node.checksum.name == 'sha256' and node.checksum.checksum == empty_sha256 -%}
        {%- do problems.append(node.original_file_path ~ " is empty (zero bytes): it needs at least"
            ~ " its header line, " ~ (node.config.column_types.keys() | join(','))) -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(problems | join('; ')) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
