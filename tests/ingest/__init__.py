"""Tests of storyfuse.ingest (a package, so that its conftest does not shadow tests/conftest.py)."""
