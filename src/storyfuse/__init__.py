"""storyfuse: many news articles about the same events in, cited and corroborated stories out."""

__version__ = "0.1.0"
