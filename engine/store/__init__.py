"""What is kept: the SQLite store of rounds and saved assessments, and the year-on-year comparison."""
