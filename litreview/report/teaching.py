"""Exercises for the teaching walkthroughs (``notebooks/walkthroughs/``) and the checks that mark them.

A walkthrough asks a question; the student writes ``answer = ...`` in one cell and
runs the next, which calls :func:`check`::

    from litreview.report.teaching import check
    print(check("untitled-papers", answer, papers=papers))

The check says whether the answer is right without printing the answer:

* ``...`` (the placeholder a walkthrough ships with) is "not answered yet";
* an answer of the wrong kind (text where a number is wanted) says what kind is wanted;
* a right answer is "right", often with one sentence on why it matters;
* any other answer is "not yet", with a hint naming the function that answers it.

Expected answers are not stored: they are computed at check time by the kit itself,
from the tables the student passes (``papers``, ``tagged``, ``evidence``, ``topic``,
...; any left out default to the default corpus, taxonomy and hand labels).  So a
check follows the corpus, the rules and the kit when they change, and a teacher who
sets another ``topic`` or ``corpus`` in a walkthrough's parameters gets checks for that
topic and corpus.  The solution notebooks (``notebooks/walkthroughs/solutions/``) run
every check with worked answers under nbval, which proves that the worked answers and
the checks still agree.

:func:`exercises` lists every exercise with its question; :func:`quiet_subprocesses` keeps the
start-up messages of the kernel a report runs in out of the notebook.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from litreview.fields.ids import normalize_title, parse_arxiv_id

INPUTS = ("papers", "tagged", "evidence", "taxonomy", "labels", "topic", "snapshot")


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``solve`` computes the expected answer from the inputs."""

    name: str
    number: str  # "1.2": walkthrough 1, exercise 2
    title: str  # a few words, shown in every message
    question: str  # may name {topic}
    kind: str  # count, year, share, paper, field
    solve: Callable[[_Inputs], object]
    hint: str  # may name {topic}
    when_right: str = ""  # one sentence shown with "right"
    when_none: str = ""  # shown instead when the right answer is None or 0 (a corpus without the topic's example)
    needs: tuple[str, ...] = ()  # inputs with no default: the student's own tables
    topic: str = "peft"  # the topic when none is passed


class _Inputs:
    """The tables a check works on: those passed, the rest computed once from the defaults."""

    def __init__(self, exercise: Exercise, given: dict):
        unknown = sorted(set(given) - set(INPUTS))
        if unknown:
            raise TypeError(f"check() got unknown input(s) {unknown}; inputs are {', '.join(INPUTS)}")
        missing = [name for name in exercise.needs if given.get(name) is None]
        if missing:
            raise TypeError(
                f"exercise {exercise.name!r} needs {missing[0]}=... (the table the walkthrough made): "
                f"pass it as the walkthrough's check cell does"
            )
        self._values = {k: v for k, v in given.items() if v is not None}
        self._values.setdefault("topic", exercise.topic)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._values:
            self._values[name] = getattr(self, f"_default_{name}")()
        return self._values[name]

    def _default_papers(self):
        from litreview.io.load import load

        return load()

    def _default_taxonomy(self):
        from litreview.tagging.taxonomy import load_taxonomy

        return load_taxonomy(None)

    def _default_evidence(self):
        from litreview.tagging.tagger import evidence

        return evidence(self.papers, self.taxonomy)

    def _default_tagged(self):
        from litreview.tagging.tagger import tag

        return tag(self.papers, self.taxonomy, self.evidence)

    def _default_labels(self):
        from litreview.tagging.evaluation import load_labels

        return load_labels()

    def _default_snapshot(self):
        return snapshot_path()

    def lookup(self) -> pd.DataFrame:
        """The table a paper named in an answer is looked up in."""
        for name in ("papers", "tagged"):
            if name in self._values:
                return self._values[name]
        return self.papers


# -- how each expected answer is computed ---------------------------------------------------------


def _untitled_papers(x: _Inputs) -> int:
    from litreview.analysis.overview import missing_fields

    return int(missing_fields(x.papers).loc["all files", "title"])


def _topic_rows(x: _Inputs) -> pd.DataFrame:
    from litreview.analysis.topic import has_topic

    return x.tagged[has_topic(x.tagged, x.topic)]


def _supporting_only(x: _Inputs) -> frozenset:
    ev = x.evidence
    hits = ev[(ev["topic"] == x.topic) & ev["tagged"]]
    kinds = hits.groupby("id")["kind"].agg(set)
    return frozenset(pid for pid, found in kinds.items() if "term" not in found)


def _peak_year(x: _Inputs) -> frozenset:
    from litreview.analysis.trends import topic_timeline

    timeline = topic_timeline(x.tagged, [x.topic])
    if timeline.empty or timeline["papers"].max() == 0:
        return frozenset()
    best = timeline["papers"].max()
    return frozenset(int(y) for y in timeline.loc[timeline["papers"] == best, "year"])


def _undated_in_topic(x: _Inputs) -> int:
    return int(_topic_rows(x)["year"].isna().sum())


def _recall(x: _Inputs) -> float | None:
    from litreview.tagging.evaluation import evaluate

    scores = evaluate(x.tagged, x.labels, [x.topic]).set_index("topic")
    recall = float(scores.loc[x.topic, "recall"])
    return None if math.isnan(recall) else recall


def _missed_papers(x: _Inputs) -> frozenset:
    from litreview.tagging.evaluation import tagging_errors

    errors = tagging_errors(x.tagged, x.labels, x.topic)
    return frozenset(errors.loc[errors["kind"] == "fn", "id"])


def _tag_fields(x: _Inputs) -> frozenset:
    ev = x.evidence
    return frozenset(ev.loc[(ev["topic"] == x.topic) & ev["tagged"], "field"])


def _first_in_topic(x: _Inputs) -> frozenset:
    rows = _topic_rows(x)
    dated = rows[rows["year"].notna()]
    if dated.empty:
        return frozenset()
    first = dated[dated["year"] == dated["year"].min()]
    months = first["month"].dropna()
    if len(months):  # a paper of that year without a month may be first too
        first = first[first["month"].isna() | (first["month"] == months.min())]
    return frozenset(first["id"])


def _closest_to_lora(x: _Inputs) -> frozenset:
    from litreview.analysis.similarity import similar_papers
    from litreview.report.walkthrough import example_paper

    if x.papers.empty:
        return frozenset()
    # LoRA; on a corpus without it the corpus's first paper, as the walkthrough's cell takes
    near = similar_papers(x.papers, paper=example_paper(x.papers), n=len(x.papers))
    if near.empty:
        return frozenset()
    return frozenset(near.loc[near["similarity"] == near["similarity"].max(), "id"])


def _papers_2022(x: _Inputs) -> int:
    return int((x.papers["year"] == 2022).fillna(False).sum())


def _still_untitled(x: _Inputs) -> int:
    from litreview.io.enrichment import enrich

    ids = set(_topic_rows(x)["id"])
    enriched = enrich(x.papers, x.snapshot)
    return int(enriched.loc[enriched["id"].isin(ids), "title"].isna().sum())


EXERCISES: tuple[Exercise, ...] = (
    # 01_first_literature_review
    Exercise(
        "untitled-papers", "1.1", "untitled papers",
        "How many papers in the corpus have no title?",
        "count", _untitled_papers,
        "`lr.missing_fields(papers)` counts the missing fields of each source file; its last row adds them up.",
        "Those papers are known only by an arXiv id and an abstract: that is why `lr.display_title` exists, "
        "and why walkthrough 3 fills titles in.",
        when_none="Every paper of this corpus has a title, so every table can name its papers.",
    ),
    Exercise(
        "supporting-only", "1.2", "weakest evidence",
        "Name a paper tagged `{topic}` on supporting cues alone: no `term` matched (None if there is none).",
        "paper", _supporting_only,
        "In `why` (the evidence table), keep the rows of topic '{topic}' whose `tagged` is True, then look at "
        "the `kind` column paper by paper: which paper has no 'term' row?",
        "Tags resting on weak cues are the first ones to read for yourself.",
    ),
    Exercise(
        "peak-year", "1.3", "busiest year",
        "In which year does `{topic}` have the most papers in this corpus (None if none of them has a year)?",
        "year", _peak_year,
        "`lr.topic_timeline(tagged, [topic])` has one row per year; find the largest `papers` count.",
        "Now ask whether that year was busy in the field, or only in the sources someone chose to keep.",
        when_none="No paper of this topic has a year, so this corpus cannot place it in time: say so when you "
                  "report it.",
    ),
    Exercise(
        "undated-in-topic", "1.4", "papers the timeline leaves out",
        "How many of `{topic}`'s papers does the timeline leave out because they have no year?",
        "count", _undated_in_topic,
        "Compare the number of the topic's papers (`in_topic.sum()`) with the sum of the timeline's "
        "`papers` column, or count the missing `year` values among the topic's papers.",
        "A timeline only shows what is dated: say so when you report one.",
    ),
    # 02_build_your_own_taxonomy
    Exercise(
        "draft-recall", "2.1", "the draft's recall",
        "What is your draft taxonomy's recall for `{topic}` against the hand labels (a number from 0 to 1)?",
        "share", _recall,
        "Recall is tp / (tp + fn): the share of the hand-labelled papers the rules found. "
        "`lr.evaluate(draft_tagged, labels, draft.slugs)` has it in the `recall` column.",
        "Recall below 1 means a paper the hand labels give this topic was missed: the next exercise finds it.",
        needs=("tagged",),
    ),
    Exercise(
        "missed-paper", "2.2", "a paper the draft misses",
        "Name a paper the hand labels give `{topic}` that your draft does not tag (a false negative).",
        "paper", _missed_papers,
        "`lr.tagging_errors(draft_tagged, labels, '{topic}')` lists the errors; a false negative has kind 'fn'.",
        "A missed paper leaves no evidence behind: read its abstract to see which words the rules lack.",
        needs=("tagged",),
    ),
    Exercise(
        "library-field", "2.3", "where the library's tags come from",
        "From which field (title, abstract or notes) did every `{topic}` tag in your library come?",
        "field", _tag_fields,
        "Look at the `field` column of the library's evidence for '{topic}', or at what "
        "`lr.missing_fields(library)` says the library lacks.",
        "A reference manager's export often has no abstracts: rules that only work on abstracts find nothing there.",
        needs=("evidence",),
    ),
    # 03_reading_a_field_peft
    Exercise(
        "first-in-topic", "3.1", "the earliest paper",
        "By the corpus's own dates, which `{topic}` paper came first?",
        "paper", _first_in_topic,
        "Sort the topic's papers by `year` and then `month`, earliest first; papers without a year cannot be placed.",
        "Now check where its date comes from: an arXiv id gives the month a paper was first posted, "
        "not when it was published.",
        when_none="No paper of this topic has a year, so this corpus cannot say which came first.",
    ),
    Exercise(
        "closest-to-lora", "3.2", "LoRA's nearest neighbour",
        "Which paper in the corpus is most similar to LoRA (arxiv:2106.09685; without LoRA, the first paper)?",
        "paper", _closest_to_lora,
        "`lr.similar_papers(papers, paper=lora)` lists the most similar papers first (`lora` is LoRA's id, or on a "
        "corpus without LoRA its first paper's: `example_paper(papers)`).",
        "Now read its `shared` terms and ask where in that paper's record those words come from.",
    ),
    Exercise(
        "papers-2022", "3.3", "the corpus in 2022",
        "The timeline shows no `{topic}` papers in 2022. How many papers from 2022 does the whole corpus hold?",
        "count", _papers_2022,
        "`lr.per_year(papers)` counts the corpus's papers per year.",
        "A year with papers but none in the topic is weak evidence of a gap; a year with no papers at all "
        "would be no evidence.",
    ),
    Exercise(
        "still-untitled", "3.4", "titles enrichment could not fill",
        "After `lr.enrich` with the snapshot, how many of `{topic}`'s papers still have no title?",
        "count", _still_untitled,
        "Keep the topic's rows of the enriched table (`enriched[in_topic]`) and count the missing values "
        "of its `title` column.",
        "The snapshot is a sample: a filled field is evidence, a field left empty is not evidence of anything.",
    ),
)
_BY_NAME = {e.name: e for e in EXERCISES}


def exercises(walkthrough: int | None = None) -> pd.DataFrame:
    """Every exercise (or one walkthrough's): ``number``, ``name``, ``question`` and the kind of answer."""
    rows = [
        (e.number, e.name, e.question.replace("{topic}", "topic"), _KIND_NAMES[e.kind])
        for e in EXERCISES
        if walkthrough is None or e.number.split(".")[0] == str(walkthrough)
    ]
    return pd.DataFrame(rows, columns=["number", "name", "question", "answer"])


_KIND_NAMES = {
    "count": "a whole number",
    "year": "a year",
    "share": "a number from 0 to 1",
    "paper": "a paper's id, arXiv id or title",
    "field": "a field name",
}


# -- marking ---------------------------------------------------------------------------------------


def check(exercise: str, answer: object, **inputs) -> str:
    """Mark ``answer`` to ``exercise``: a one-line message that never shows the expected answer.

    ``inputs`` are the tables the walkthrough works on (``papers``, ``tagged``,
    ``evidence``, ``taxonomy``, ``labels``, ``topic``, ``snapshot``); the expected
    answer is computed from them, and any left out default to the default corpus,
    taxonomy and hand labels.
    """
    try:
        ex = _BY_NAME[exercise]
    except KeyError:
        raise KeyError(f"unknown exercise {exercise!r}; exercises: {', '.join(_BY_NAME)}") from None
    x = _Inputs(ex, inputs)
    head = f"Exercise {ex.number} ({ex.title}):"
    if answer is Ellipsis:
        return f"{head} not answered yet. Replace the ... in the answer cell with your answer, run that cell, " \
               f"then run this one."
    expected = ex.solve(x)
    verdict = _MARKERS[ex.kind](answer, expected, x)
    if isinstance(verdict, str):  # the answer is of the wrong kind
        return f"{head} not yet: {verdict}"
    right, extra = verdict
    if right:
        after = ex.when_none if ex.when_none and expected in (None, 0, frozenset()) else ex.when_right
        return " ".join(part for part in (f"{head} right{extra}.", after) if part)
    return f"{head} not yet. Hint: {ex.hint.replace('{topic}', str(x.topic))}"


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if value is None:
        return "None"
    if isinstance(value, bool):
        return f"the truth value {value}"
    if isinstance(value, numbers.Number):
        return f"the number {value!r}"
    return f"a {type(value).__name__}"


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return int(value)
    return None


def _mark_count(answer, expected, x):
    number = _whole(answer)
    if number is None:
        return f"give a whole number, such as 7 (without quotes); got {_describe(answer)}."
    return number == expected, ""


def _mark_year(answer, expected, x):
    if answer is None:  # right when no paper of the topic has a year
        return not expected, ""
    year = _whole(answer)
    if year is None:
        return f"give a year as a whole number, such as 2020 (without quotes); got {_describe(answer)}."
    if not expected:
        return False, ""
    return year in expected, ""


def _mark_share(answer, expected, x):
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real) or not 0 <= float(answer) <= 1:
        return f"give a number from 0 to 1, such as 0.25 (a share, not a percentage); got {_describe(answer)}."
    if expected is None:
        return False, ""
    return abs(float(answer) - expected) <= 0.005, ""


def _mark_paper(answer, expected, x):
    if answer is None:
        return not expected, ""
    if not isinstance(answer, str) or not answer.strip():
        return (
            "give one paper as text: its id, arXiv id or title, such as 'arxiv:1706.03762'; "
            f"got {_describe(answer)}."
        )
    pid = _resolve_paper(answer, x.lookup())
    if pid is None:
        return (
            f"no paper in this corpus has the id, arXiv id or title {answer.strip()!r}. "
            "Copy an `id` (or a title) from one of the tables above."
        )
    right = pid in expected
    return right, (f" (one of {len(expected)} papers that fit)" if right and len(expected) > 1 else "")


def _mark_field(answer, expected, x):
    given = [answer] if isinstance(answer, str) else answer
    if not isinstance(given, (list, tuple, set, frozenset)) or not given or \
            not all(isinstance(f, str) for f in given):
        return f"give a field name as text: 'title', 'abstract' or 'notes'; got {_describe(answer)}."
    fields = {f.strip().lower() for f in given}
    unknown = sorted(fields - {"title", "abstract", "notes"})
    if unknown:
        return f"the fields tags come from are 'title', 'abstract' and 'notes'; got {unknown[0]!r}."
    return fields == set(expected), ""


_MARKERS = {
    "count": _mark_count,
    "year": _mark_year,
    "share": _mark_share,
    "paper": _mark_paper,
    "field": _mark_field,
}

_BRACKETED = re.compile(r"^\[([^\]]+)\]")


def _resolve_paper(text: str, papers: pd.DataFrame) -> str | None:
    """The id of the paper ``text`` names: an id, an arXiv id (any version), a title or a display title."""
    text = text.strip()
    ids = papers["id"].astype(str).tolist()
    if text in ids:
        return text
    lowered = {i.lower(): i for i in ids}
    if text.lower() in lowered:
        return lowered[text.lower()]
    bracketed = _BRACKETED.match(text)  # a display title: "[2106.09685] An important paradigm ..."
    parsed = parse_arxiv_id(bracketed[1] if bracketed else text)
    if parsed is not None and "arxiv_id" in papers.columns:
        hits = papers.loc[papers["arxiv_id"] == parsed[0], "id"]
        if len(hits):
            return str(hits.iloc[0])
    wanted = normalize_title(text.removesuffix("...").strip())
    if not wanted:
        return None
    titles = [(pid, normalize_title(t)) for pid, t in zip(ids, papers["title"]) if isinstance(t, str) and t]
    exact = [pid for pid, t in titles if t == wanted]
    if exact:
        return exact[0]
    if text.endswith("..."):  # a display title cut short
        starts = [pid for pid, t in titles if t.startswith(wanted)]
        if len(starts) == 1:
            return starts[0]
    return None


def snapshot_path() -> Path:
    """The sample arXiv metadata snapshot the walkthroughs enrich from."""
    from litreview.data import data_dir

    return data_dir() / "examples" / "arxiv_snapshot_sample.jsonl"


@contextmanager
def quiet_subprocesses() -> Iterator[None]:
    """Send what child processes write to standard error to the null device, for the ``with`` block.

    ``run_report`` starts a fresh kernel, which logs start-up messages (such as a
    warning that it talks to papermill over local TCP) to the standard error it
    inherits; in Jupyter that is the notebook's output, so a walkthrough's report
    cell would show them.  A failing report still raises its error in this process.
    Outside Jupyter this process's own writes to standard error are silenced too.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
