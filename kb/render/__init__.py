"""Stage 4: render the linked knowledge base to the files of docs/ (pages.py lists them)."""
