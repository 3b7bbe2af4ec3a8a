"""The pure-Python reference implementation of the SPEC (spec_reference) and
its hand-derived tests."""
