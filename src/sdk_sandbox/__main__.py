"""`python -m sdk_sandbox serve ...`."""

from .cli import main

raise SystemExit(main())
