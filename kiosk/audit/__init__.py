"""Audit log of exports, deletions and administrative changes."""
