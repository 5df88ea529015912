"""Loops (e-mail) for this project: `client.LoopsClient` and the guide's shortcuts."""
