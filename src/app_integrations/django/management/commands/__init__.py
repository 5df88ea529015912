"""`integrations_check`."""
