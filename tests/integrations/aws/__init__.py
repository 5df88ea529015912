"""tests.integrations.aws: test package."""
