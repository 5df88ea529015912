"""tests.packaging: test package."""
