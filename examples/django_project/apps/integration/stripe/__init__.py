"""Stripe (payments) for this project: `client.StripeClient` and the seed's shortcuts."""
