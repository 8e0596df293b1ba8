"""Backends for the core's interfaces (companion.core.interfaces), one module per operating system or desktop,
each with a do-nothing fallback. Only app.py and companion/features choose and build them.
"""
