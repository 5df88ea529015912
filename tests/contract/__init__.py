"""tests.contract: test package."""
