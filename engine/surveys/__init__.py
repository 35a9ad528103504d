"""Working with the survey tools partnerships already use.

Import: a CSV or XLSX export of Google Forms, Microsoft Forms, SurveyMonkey,
KoboToolbox, ODK Central or LimeSurvey (or a plain sheet headed by our question ids)
-> :class:`~engine.models.Answers`. Export: the questionnaire as an XLSForm, a CSV or
YAML template, a printable paper form and a guide for building the form by hand.

Stands on the core's loaders and models; the core pipeline imports nothing from here.
"""

from .importing import answers_yaml, import_answers, read_mapping
from .table import SUFFIXES

__all__ = ["SUFFIXES", "answers_yaml", "import_answers", "read_mapping"]
