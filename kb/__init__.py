"""Diplomacy KB: turn YAML records into bilingual Markdown pages.

The pipeline reads top to bottom (kb/pipeline.py): load and validate (records/), link
(linking.py), render (render/, with citations/ for every citation string and text/ for escaping,
bidi runs and Persian), write (write/). languages.py defines the two languages once.
"""
