"""Stage 5: write the rendered files into docs/ through a journal; stop early when nothing changed."""
