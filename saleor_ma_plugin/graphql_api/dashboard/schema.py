"""Dashboard queries; the app changes data only through the other areas' mutations."""

from .queries import DashboardQueries as Queries

Mutations = None

__all__ = ["Mutations", "Queries"]
