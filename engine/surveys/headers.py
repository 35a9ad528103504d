"""Which of our fields each column of an export holds, read from its header.

A header names a question by its id (``communication.meetings_regular``), by the XLSForm
name our export gives it (``communication__meetings_regular``, possibly behind a group
path such as ``communication/`` or ``communication-``), or by the question's text
(case, spacing and punctuation aside; a LimeSurvey ``code. text`` heading and a grid's
``Title [Row]`` included). The survey tools' own columns (timestamps, submission ids,
IP addresses) are metadata and ignored.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..models import Questionnaire
from .table import Column
from .values import normalise

# Our XLSForm names: question ids with the dot as a double underscore (names take no dots).
NAME_SEPARATOR = "__"
ORGANISATION, ROLE, NAME, EMAIL, FIRST_NAME, LAST_NAME = "organisation", "role", "name", "email", "first", "last"
SUBMISSION, TIME, IGNORE = "submission", "time", "ignore"
FIELDS = (ORGANISATION, ROLE, NAME, EMAIL, FIRST_NAME, LAST_NAME, SUBMISSION, TIME, IGNORE)
ORGANISATION_LABEL = "Which organisation do you represent?"
ROLE_LABEL = "What role does your organisation have in the partnership?"

_FIELD_HEADERS = {
    ORGANISATION: ["Organisation", "Organization", "Your organisation", "Organisation name", ORGANISATION_LABEL],
    ROLE: ["Role", "Your role", "Partner role", "Role in the partnership", ROLE_LABEL],
    NAME: ["Name", "Full name", "Your name", "Respondent name"],
    FIRST_NAME: ["First Name", "First name"],
    LAST_NAME: ["Last Name", "Surname"],
    EMAIL: ["Email", "Email Address", "E-mail", "Email address", "Responder", "Your email"],
    # Ids of a submission, used to find the same submission twice.
    SUBMISSION: [
        "_uuid",
        "meta/instanceID",
        "meta-instanceID",
        "instanceID",
        "KEY",
        "Respondent ID",
        "ID",
        "Response ID",
        "id. Response ID",
    ],
    # When it was submitted: the latest becomes the assessment's date unless --date is given.
    TIME: [
        "Timestamp",
        "Completion time",
        "End Date",
        "_submission_time",
        "SubmissionDate",
        "Date submitted",
        "submitdate. Date submitted",
        "end",
    ],
    IGNORE: [
        # Microsoft Forms
        "Start time",
        "Last modified time",
        "Total points",
        "Quiz feedback",
        # SurveyMonkey
        "Collector ID",
        "Start Date",
        "IP Address",
        "Custom Data 1",
        # KoboToolbox (its own fields start with an underscore; these do not)
        "start",
        "today",
        "deviceid",
        "__version__",
        "formhub/uuid",
        # ODK Central
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
        # LimeSurvey (codes, and "code. text" headings)
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
        "ipaddr",
        "refurl",
        "Last page",
        "Start language",
        "Seed",
        "Date started",
        "Date last action",
        "IP address",
        "Referrer URL",
        "lastpage. Last page",
        "startlanguage. Start language",
        "seed. Seed",
        "startdate. Date started",
        "datestamp. Date last action",
    ],
}
FIELD_BY_TEXT = {normalise(text): field for field, texts in _FIELD_HEADERS.items() for text in texts}
_CODE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)\s*[.:]\s+(.+)$", re.S)
_GROUP_PATH = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_.]*[/-])+([A-Za-z_][A-Za-z0-9_]*)$")


def xlsform_name(question_id: str) -> str:
    """``communication.meetings_regular`` -> ``communication__meetings_regular``."""
    return question_id.replace(".", NAME_SEPARATOR)


def question_id_of(name: str) -> str:
    """The reverse of :func:`xlsform_name`."""
    return name.replace(NAME_SEPARATOR, ".", 1)


@dataclass(frozen=True)
class Target:
    """What a column holds: a question id or one of FIELDS; ``None`` when unknown."""

    column: Column
    target: str | None
    hint: str = ""


class HeaderIndex:
    """Every text a column may be headed with, for one questionnaire (and a mapping file)."""

    def __init__(self, questionnaire: Questionnaire, mapping: dict[str, str] | None = None) -> None:
        self.questionnaire = questionnaire
        self.mapping = {normalise(header): target for header, target in (mapping or {}).items()}
        self.by_text: dict[str, str] = {}
        for question in questionnaire.questions.values():
            self.by_text.setdefault(normalise(question.text), question.id)
        self.ids = set(questionnaire.questions)

    def target(self, column: Column) -> Target:
        for text in column.candidates:
            found = self._match(text)
            if found:
                return Target(column, found)
        return Target(column, None, self._hint(column.candidates[0]))

    def _match(self, header: str) -> str | None:
        text = header.strip()
        key = normalise(text)
        if key in self.mapping:
            return self.mapping[key]
        if text.startswith("_") and text not in ("_uuid", "_submission_time"):
            return IGNORE  # KoboToolbox's own fields: _id, _index, _status, _notes, _tags ...
        if key in FIELD_BY_TEXT:
            return FIELD_BY_TEXT[key]
        if text.startswith(("meta-", "meta/")):
            return IGNORE  # ODK's other metadata: meta-instanceName, meta-deprecatedID ...
        for name in (text, *self._path_tail(text)):
            if name in self.ids:
                return name
            if NAME_SEPARATOR in name and question_id_of(name) in self.ids:
                return question_id_of(name)
            if name in (ORGANISATION, ROLE):
                return name
        if key in self.by_text:
            return self.by_text[key]
        code = _CODE.match(text)  # LimeSurvey "code. text", or a numbered question "3. text"
        if code:
            return self._match(code[2]) if code[2].strip() else None
        unit = re.match(r"^(.*\S)\s*\([^()]*\)$", text)  # our XLSForm's number labels end "(weeks)"
        if unit and unit[1] and normalise(unit[1]) in self.by_text:
            return self.by_text[normalise(unit[1])]
        if "/" in text:  # KoboToolbox's labels with the group hierarchy: "Section title/Question text"
            return self._match(text.split("/", 1)[1])
        return None

    @staticmethod
    def _path_tail(text: str) -> tuple[str, ...]:
        match = _GROUP_PATH.match(text)
        return (match[1],) if match else ()

    def _hint(self, header: str) -> str:
        """`` (did you mean 'x'?)`` by id or by text."""
        key = normalise(header)
        ids = sorted(self.ids)
        close = difflib.get_close_matches(header.strip(), ids, n=1, cutoff=0.75)
        if not close:
            close = difflib.get_close_matches(question_id_of(header.strip().split("/")[-1]), ids, n=1, cutoff=0.75)
        if not close:
            texts = difflib.get_close_matches(key, list(self.by_text), n=1, cutoff=0.6)
            close = [self.by_text[texts[0]]] if texts else []
        if not close:
            return ""
        question = self.questionnaire.questions[close[0]]
        return f" (did you mean '{question.id}': \"{_short(question.text)}\"?)"


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
