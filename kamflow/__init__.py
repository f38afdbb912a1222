"""The `kamflow` command: composes the engine and the web UI (neither imports this package)."""
