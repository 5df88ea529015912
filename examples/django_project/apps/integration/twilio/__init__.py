"""`apps.integration.twilio` as seed 002 imports it: `client` and `shortcuts`."""
