"""tests: test package."""
