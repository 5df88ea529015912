"""tests.integrations.loops: test package."""
