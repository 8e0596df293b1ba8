"""The Qt shell: shows core state and emits the rep's intents. Never imports companion.platform."""
