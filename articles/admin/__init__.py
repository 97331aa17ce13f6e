"""The admin site: one module per part of the site (Django imports this package to register them)."""

from . import articles, billing, comments, imports, members, stories

__all__ = ["articles", "billing", "comments", "imports", "members", "stories"]
