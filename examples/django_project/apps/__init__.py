"""Seed 002's `apps` package: the integrations and models the guide imports."""
