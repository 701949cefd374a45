"""The calculation core: pure Python, no Django. Dataclasses in, dataclasses out, Decimal money."""
