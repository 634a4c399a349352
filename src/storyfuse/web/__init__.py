"""The web UI and JSON API (``storyfuse serve``): FastAPI, server-rendered Jinja2 pages, a
JSON twin of every page under ``/api``."""

from .app import create_app

__all__ = ["create_app"]
