"""Placeholder: the html reader is being written."""
