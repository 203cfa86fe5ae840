"""Report queries; reports change nothing, so the area has no mutations."""

from .queries import ReportQueries as Queries

Mutations = None

__all__ = ["Mutations", "Queries"]
