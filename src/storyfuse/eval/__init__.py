"""Dataset loaders and scorers for ``storyfuse eval`` and ``storyfuse bench``.

The data sets live outside the repository (``--data``, ``$STORYFUSE_DATA`` or
``../shared/data``); nothing here copies them.
"""
