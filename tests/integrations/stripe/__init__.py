"""tests.integrations.stripe: test package."""
