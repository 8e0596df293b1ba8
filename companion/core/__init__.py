"""The Qt-free core: policy, accounting, storage and crypto.

Nothing here imports PySide6, companion.ui or companion.platform; time comes in through a Clock.
"""
