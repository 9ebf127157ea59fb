"""jobinventory's benchmarks (issues 7 and 8): `python -m benchmarks`; see README.md."""
