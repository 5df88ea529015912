"""Management commands of the integrations' Django app."""
