"""Shared models of the template: the custom User, teams, and the integrations' records (Upload, SMS)."""
