"""Organisations and their rules. Imports no framework."""
