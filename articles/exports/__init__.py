"""A whole site as one portable file and back (docs/export.md): `writer.py` writes it, a line a
record, as the database is read; `loader.py` reads it into a fresh site, a batch at a time."""
