"""The site build: how ``docs/`` and the figure cache become the published site.

Everything that knows about MkDocs, Material and their plugins lives in this folder, so
a move to another builder touches only it and ``mkdocs.yml``. ``hooks.py`` is the file
``mkdocs.yml`` lists; it only passes MkDocs' events to ``session.SiteBuild``. The page
markup (``markup.py``: ``:::figure`` blocks and ``{{ entry.key }}`` numbers) is a plain
Python-Markdown extension that any builder running Python-Markdown can use.
"""
