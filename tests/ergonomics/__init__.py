"""Tests of what every client of the family offers: raw responses, per-call options, logging, models, cold start."""
