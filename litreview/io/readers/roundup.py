"""Weekly arXiv newsletters ("roundups"): a paper title, then commentary on it.

The first line carries the issue's date (``2023-5-28 arXiv roundup: ...``).
Every later line is either a paper's heading or a line of commentary about the
paper above it.  Headings are told apart from commentary by their shape: a
title is short, does not end like a sentence, does not contain a sentence
break, and is not written in the first or second person.  Commentary is kept
in ``notes`` (it is the newsletter's opinion, not the paper's abstract).
"""

from __future__ import annotations

import datetime as dt
import re

from litreview.io.readers.base import ReadResult, numbered_lines

FORMAT = "roundup"

_ISSUE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\b.*\broundup\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.,;:!…)\"”’]$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’)]?\s+[A-Z(“\"]")
_PERSONAL = re.compile(r"\b(I|I['’]m|I['’]d|I['’]ve|me|my|you|your|you['’]re|we|our|us)\b")
_TITLE_QUESTION_BREAK = re.compile(r"\?\s+[A-Z]")


def sniff(text: str) -> bool:
    first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    return bool(_ISSUE.match(first))


def is_heading(line: str) -> bool:
    """Whether a roundup line is a paper's title rather than commentary."""
    text = line.strip()
    words = text.split()
    if not words or len(words) > 25 or not (text[0].isupper() or text[0].isdigit()):
        return False
    if _SENTENCE_END.search(text) or _PERSONAL.search(text):
        return False
    # "Title? Subtitle" is a title; "Sentence. Sentence" is commentary.
    body = _TITLE_QUESTION_BREAK.sub(": ", text)
    if _SENTENCE_BREAK.search(body):
        return False
    if text.endswith("?"):
        # A question is a title only when short and free of clauses.
        return "," not in text and len(words) <= 8
    return True


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    lines = numbered_lines(text.lstrip("\ufeff"))
    if not lines or not _ISSUE.match(lines[0][1]):
        result.error(file, 1, "first line does not name the roundup's date (YYYY-M-D ... roundup)")
        return result
    match = _ISSUE.match(lines[0][1])
    year, month, day = (int(g) for g in match.groups())
    try:
        issue_date = dt.date(year, month, day).isoformat()
    except ValueError:
        result.error(
            file,
            lines[0][0],
            f"the roundup's date {match.group(1)}-{match.group(2)}-{match.group(3)} is not a valid date",
        )
        return result
    current: dict | None = None
    commentary: list[str] = []

    def close() -> None:
        if current is not None:
            current["notes"] = "\n".join(commentary) or None
            result.records.append(current)

    for lineno, line in lines[1:]:
        if is_heading(line):
            close()
            commentary = []
            current = {
                "title": line.strip(),
                "year": year,
                "month": month,
                "venue": "arXiv",
                "keywords": [f"arXiv roundup {issue_date}"],
                "source": f"{file}:{lineno}",
            }
        elif current is not None:
            commentary.append(line.strip())
        # Lines before the first heading are the issue's preamble, not a paper.
    close()
    if not result.records:
        result.error(file, None, "no paper headings found in the roundup")
    return result
