"""Importing articles: read an input, detect its format, parse, sanitise, store.

`pipeline.import_inputs` is the entry point used by `manage.py import_articles` and the admin.
"""
