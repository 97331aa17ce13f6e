"""Write actions: every change readers can see goes through one function here, shared by the
views, the admin and the commands (imports go through importing.pipeline, retagging through
geo.tag_rows). Cached pages follow each change by themselves: contentversion.py sees every write
to a content table (docs/architecture.md)."""
