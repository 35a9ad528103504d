"""What is kept: the SQLite store of rounds and saved assessments, and the year-on-year comparison.

Importing this package opens nothing (the command line reads :data:`DEFAULT_DB` from it):
``sqlite`` is the one module that imports SQLite.
"""

from ..vocabulary import MIN_GROUP as ROUND_MIN_GROUP

DEFAULT_DB = "partnership-health.db"
"""The SQLite file the web app, the round commands and saved assessments use unless told otherwise."""

__all__ = ["DEFAULT_DB", "ROUND_MIN_GROUP"]  # a new round's smallest group: the assessment default
