"""tests.integrations.cache: test package."""
