"""Loops (e-mail) for this project: `client.LoopsClient` and the seed's shortcuts."""
