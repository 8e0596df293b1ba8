"""Numbered schema migrations (NNNN_name.sql). Never edit a released one; add the next number."""
