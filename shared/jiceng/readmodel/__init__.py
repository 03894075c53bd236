"""Read models: SQLAlchemy 2 async tables folded from event feeds, with tracking."""

from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.projection import Projection

__all__ = ["Projection", "ReadModelDatabase"]
