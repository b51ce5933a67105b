"""Exercises for every chapter: the numbers each question and its worked answer quote.

One module per chapter (``convdemo.exercises.padding`` for ``docs/padding.md``), one
function per exercise, declared as a numbers entry (``ex-padding-shape``) in
``figures/exercises.py``, the registry's table of exercises. Each function returns a
flat dict: shapes from running the layer, values from ``F.conv2d`` and friends, error
messages from PyTorch's own exception, the worked steps as text whose arithmetic a test
evaluates, and the code that checks the answer. ``convdemo.exercises.kit`` holds what
the modules share.
"""
