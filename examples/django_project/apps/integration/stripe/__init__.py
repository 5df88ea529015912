"""Stripe (payments) for this project: `client.StripeClient` and the guide's shortcuts."""
