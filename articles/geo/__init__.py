"""Country and actor tagging: the vocabulary (ISO 3166 plus a curated table), the pure tagger,
and writing tag rows. See docs/tagging.md."""
