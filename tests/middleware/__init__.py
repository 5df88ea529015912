"""tests.middleware: test package."""
