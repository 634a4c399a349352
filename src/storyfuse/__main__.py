"""``python -m storyfuse`` is the ``storyfuse`` command."""

from .cli import main

main()
