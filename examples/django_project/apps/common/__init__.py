"""Shared models of the project: the custom User, teams, and the integrations' records (Upload, SMS)."""
