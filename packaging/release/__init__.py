"""The maintainer's release loop: API baselines and their diff, the version gate, changelogs, artifacts, publishing.

Run from the repository root with `packaging` on the path (the Make targets do this):
`python -m release.api_diff`, `python -m release.prepare`, `python -m release.artifacts`, `python -m release.publish`.
"""
