"""``python -m engagement_scoring``: the ``engagement-scoring`` command (cli.py)."""

from .cli import main

raise SystemExit(main())
