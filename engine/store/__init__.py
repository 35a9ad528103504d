"""What is kept: the SQLite store of rounds and saved assessments, and the year-on-year comparison.

Importing this package opens nothing (the command line reads :data:`DEFAULT_DB` from it):
``sqlite`` is the one module that imports SQLite.
"""

DEFAULT_DB = "partnership-health.db"
"""The SQLite file the web app, the round commands and saved assessments use unless told otherwise."""
ROUND_MIN_GROUP = 3
"""A new round's smallest group shown on its own, unless the lead chooses another (rounds promise anonymity)."""
