"""The pure-Python reference implementation of the SPEC (the package
``spec``, one module per SPEC section) and its hand-derived tests."""
