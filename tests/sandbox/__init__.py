"""tests.sandbox: test package."""
