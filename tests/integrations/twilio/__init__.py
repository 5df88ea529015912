"""tests.integrations.twilio: test package."""
