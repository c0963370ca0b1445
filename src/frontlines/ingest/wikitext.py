"""Placeholder: the wikitext reader is being written."""
