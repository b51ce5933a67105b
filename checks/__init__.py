"""Checks of a built site: links, the browser, page weights, published addresses, timings.

They read what ``mkdocs build`` wrote into ``site/`` (or build a copy themselves, as the
benchmark does); the site build never imports them.
"""
