"""Stages 1 and 2: load the record files and validate them into the typed model."""
