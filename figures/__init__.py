"""The figure build: renders every registered figure, and the numbers the prose quotes.

Importing this package, the registry and the cache check loads neither PyTorch nor
matplotlib, so a build with nothing to render stays cheap. ``python -m figures --help``
has the command line; ``figures/hook.py`` runs the same build inside MkDocs.
"""
