"""The ``jiceng`` command line."""
