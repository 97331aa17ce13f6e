"""A member\x27s desk: what they follow and what is new in it, digests, alerts, replies (docs/desk.md)."""
