"""Seed 002's `apps.common`."""
