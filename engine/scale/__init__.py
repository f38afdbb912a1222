"""A big, realistic database for benchmarks: `seed(eng, n)` (see seeder.py)."""
from .seeder import Summary, landmarks, seed

__all__ = ["Summary", "landmarks", "seed"]
