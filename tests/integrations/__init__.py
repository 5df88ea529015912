"""tests.integrations: test package."""
