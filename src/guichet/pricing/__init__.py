"""Coherent pricing: municipal services, their tariff grids, each household's quotient and prices."""
