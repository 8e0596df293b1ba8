"""Feature wiring: each module has `install(ctx: AppContext) -> None`, which builds that feature's core objects,
platform backends and windows from the context and connects them (tray section, IPC handlers, status, timers).

This is part of the composition root: app.py lists the installers; nothing below companion/ui or companion/core
imports from here.
"""
