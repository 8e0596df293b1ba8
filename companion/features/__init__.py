"""Features: each module has `create()`, which builds one object following companion.lifecycle.Feature:
`start(services, registry)` registers its tray section, socket commands, status parts and listeners and arms its
timers; `stop()` cancels everything it owns. The app starts them in default_features() order and stops them in
reverse.

This is part of the composition root: app.py names the modules; nothing below companion/ui or companion/core
imports from here.
"""
