"""tests.examples: test package."""
