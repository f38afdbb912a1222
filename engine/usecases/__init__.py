"""Use cases: one function per thing a user or worker does, each taking a unit of work."""
