"""Backends for the core's interfaces (companion/core/interfaces.py): one module per OS concern and backend."""
