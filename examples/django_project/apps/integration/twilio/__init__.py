"""`apps.integration.twilio` as the integrations guide imports it: `client` and `shortcuts`."""
