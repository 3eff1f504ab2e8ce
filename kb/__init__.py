"""Diplomacy KB: turn YAML records into bilingual Markdown pages.

The pipeline reads top to bottom: load → validate → link → render → write.
See `kb.pipeline.run` for the orchestration.
"""
