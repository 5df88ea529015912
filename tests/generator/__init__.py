"""tests.generator: test package."""
