"""`python -m engagement_push`: see cli.py."""

from .cli import main

raise SystemExit(main())
