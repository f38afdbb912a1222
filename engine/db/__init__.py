"""Persistence: tables, connections, the unit of work and migrations."""
