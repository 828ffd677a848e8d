"""ITA criteria as data: one validated file per fiscal year."""

from itadesk.criteria.loader import available_years, criteria_in_force, load_criteria, parse_criteria
from itadesk.criteria.model import Criteria, Entry, Indicator, Level, Theme, Tool

__all__ = [
    "Criteria", "Entry", "Indicator", "Level", "Theme", "Tool",
    "available_years", "criteria_in_force", "load_criteria", "parse_criteria",
]
