"""tests.runtime: test package."""
