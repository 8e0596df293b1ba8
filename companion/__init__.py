"""Companion: a private tray companion for customer-service reps."""

__version__ = "0.1.0"
APP_NAME = "Companion"
APP_ID = "companion"
