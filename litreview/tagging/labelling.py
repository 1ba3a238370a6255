"""A labelling loop: which papers to label next, the standard to label by, a labels file that only grows.

Hand labels are what measures the tags and fits the learned decision, and a
label is worth most where the kit is least sure.  :func:`labelling_queue`
orders unlabelled papers so: first those on which the taxonomy's rules and the
learned decision disagree, then those whose score lies closest to its
threshold.  :func:`labelling_standard` is the standard to read them by,
:func:`add_labels` appends what the reader decided to a labels CSV (the layout
of ``data/labels.csv``), and :func:`evaluate_taggers` measures the rules and the
learned decision on every label so far.  ``notebooks/walkthroughs/02`` runs the
loop in plain cells; :func:`litreview.labelling_widget` runs it with buttons.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from litreview.fields.latex import readable
from litreview.tagging.labelsets import LabelsError, check_labels, measured_flags, sure_flags
from litreview.tagging.taxonomy import Taxonomy

QUEUE_COLUMNS = ["id", "paper", "in_doubt", "disagree", "margin", "rules", "learned"]
LABEL_FILE_COLUMNS = ["id", "topics", "title", "rationale"]
ON_DUPLICATE = ("error", "skip", "replace")

_INTRO = """\
**How to label a paper.** A label names the topics of the paper's *own contribution*: what it proposes,
builds, measures or finds. Read the title and the whole abstract, then tick every topic whose scope (below)
that contribution falls under; most papers get one to three, and some get none.

"""
_BACKGROUND = """\
- A topic the abstract mentions only as background, motivation, the setting it works in or related work is
  not a label. {example}
"""
_EXAMPLES = {  # (the first whose topics the taxonomy has; the last is for any taxonomy)
    ("reasoning", "efficiency"): "An abstract that opens with \"language models reason well\" and then proposes a "
                                 "faster cache is\n  about the cache, not about reasoning.",
    (): "An abstract that opens with what a field knows and then proposes a method is about the method.",
}
_CHOICES = """\
- Decide from the scopes alone, not from the taxonomy's terms and not from what the kit proposes: the labels
  exist to check the rules and the tagger, so they must not copy them.
"""
_TOPIC_RULES = {  # rules of thumb for topics of the default taxonomy, shown when the taxonomy has them
    "evaluation": "- When a paper builds a benchmark or runs an evaluation, that is an evaluation topic, plus the "
                  "topic of what is\n  evaluated when that is itself the point (a benchmark of long inputs is about "
                  "long context too).\n",
    "data": "- A dataset made to train models, synthetic training data or a way to build data belongs to the data "
            "topic.\n",
}
_CLOSE_CALLS = """\
- If one of the topics was a close call either way, say so (``sure`` = 0 in the label files that keep it), and
  label the paper anyway: borderline papers are the ones a tagger learns most from.
"""


def _standard(slugs: list[str]) -> str:
    """The rules of thumb for a taxonomy with these topics: its own examples and topic rules only."""
    example = next(text for needed, text in _EXAMPLES.items() if set(needed) <= set(slugs))
    rules = "".join(text for slug, text in _TOPIC_RULES.items() if slug in slugs)
    return _INTRO + _BACKGROUND.format(example=example) + _CHOICES + rules + _CLOSE_CALLS


def labelling_standard(taxonomy: Taxonomy | str | None = None) -> str:
    """The labelling standard, in Markdown: how to decide a paper's topics, then each topic's scope.  Its
    examples and rules of thumb about particular topics (evaluation, data) are the taxonomy's own: a
    taxonomy of another field gets the general rules only.

    Parameters
    ----------
    taxonomy : Taxonomy or str, optional
        The taxonomy whose topics are labelled; ``None`` for the default.

    Returns
    -------
    str
        Markdown text: the rules of thumb, then ``slug`` - label: scope, one line per topic.

    Examples
    --------
    >>> text = lr.labelling_standard()
    >>> text.splitlines()[0][:39]
    '**How to label a paper.** A label names'
    >>> [line[:60] for line in text.splitlines() if line.startswith("- `peft`")]
    ['- `peft` (Parameter-efficient fine-tuning): Adapting a pretr']
    """
    from litreview.tagging.tagger import _as_taxonomy

    taxonomy = _as_taxonomy(taxonomy)
    scopes = "\n".join(f"- `{t.slug}` ({t.label}): {t.scope}" for t in taxonomy.topics)
    return f"{_standard(taxonomy.slugs)}\n**The topics**, in the order to write them:\n\n{scopes}\n"


def labelling_queue(
    papers: pd.DataFrame,
    labels=None,
    taxonomy: Taxonomy | str | None = None,
    *,
    tagger=None,
    n: int | None = 10,
) -> pd.DataFrame:
    """The unlabelled papers the kit is least sure about, first.

    For every (paper, topic) the rules or the learned decision touch
    (:func:`litreview.tag_scores`): do the two agree, and how far is the
    decision's score from its threshold?  Papers where they disagree come first,
    then the rest; within each, the smallest distance (``margin``) first.
    Papers neither touches (no topic, far from any threshold) come last.

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`).
    labels : DataFrame or path, optional
        Labels so far (``id`` column; a labels CSV path is read); their papers are left out.
        A path that does not exist yet means no labels.
    taxonomy : Taxonomy or str, optional
        ``None`` for the default taxonomy.
    tagger : FittedTagger, optional
        The learned decision to compare with the rules; ``None`` for the one fitted on the shipped labels.
    n : int or None
        How many papers to return; ``None`` for all.

    Returns
    -------
    DataFrame
        ``id``, ``paper`` (a display title), ``in_doubt`` (the topics in doubt: the rules and the
        decision disagree, or the score is the paper's closest to its threshold), ``disagree``
        (how many topics the two disagree on), ``margin`` (the smallest distance of a score from its
        threshold), ``rules`` and ``learned`` (each one's topics).

    Examples
    --------
    >>> queue = lr.labelling_queue(lr.load(), lr.load_labels().iloc[:70])
    >>> len(queue), queue.columns.tolist()[:4]
    (4, ['id', 'paper', 'in_doubt', 'disagree'])
    >>> bool(queue["margin"].is_monotonic_increasing or (queue["disagree"] > 0).any())
    True
    """
    from litreview.tagging.explain import tag_scores
    from litreview.tagging.tagger import _as_taxonomy

    taxonomy = _as_taxonomy(taxonomy)
    if n is not None:
        from litreview.validation import check_int

        check_int(n, "n", 1)
    done = _labelled_ids(labels)
    todo = papers[~papers["id"].isin(done)].drop_duplicates("id").reset_index(drop=True)
    if todo.empty:
        return pd.DataFrame(columns=QUEUE_COLUMNS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a fallback topic is fine here: the queue only orders papers
        scores = tag_scores(todo, taxonomy, tagger=tagger)
    scores = scores.assign(
        rule=scores["rule_tagged"] > 0,
        margin=(scores["score"] - scores["threshold"]).abs().round(3),
    )
    scores["disagree"] = scores["rule"] != scores["tagged"]
    order = {s: i for i, s in enumerate(taxonomy.slugs)}
    scores = scores.assign(rank=scores["topic"].map(order)).sort_values(["id", "rank"])
    per_paper = scores.groupby("id", sort=False).agg(
        disagree=("disagree", "sum"),
        margin=("margin", "min"),
        rules=("topic", lambda t: [s for s, r in zip(t, scores.loc[t.index, "rule"]) if r]),
        learned=("topic", lambda t: [s for s, r in zip(t, scores.loc[t.index, "tagged"]) if r]),
    )
    closest = scores.loc[scores.groupby("id", sort=False)["margin"].idxmin(), ["id", "topic"]].set_index("id")
    doubted = scores[scores["disagree"]].groupby("id", sort=False)["topic"].agg(list)
    per_paper["in_doubt"] = [doubted.get(pid) or [closest.at[pid, "topic"]] for pid in per_paper.index]
    queue = todo[["id"]].merge(per_paper, left_on="id", right_index=True, how="left")
    queue["disagree"] = queue["disagree"].fillna(0).astype(int)
    for column in ("rules", "learned", "in_doubt"):
        queue[column] = [v if isinstance(v, list) else [] for v in queue[column]]
    queue["paper"] = _titles(todo)
    queue = queue.assign(first=queue["disagree"] == 0, untouched=queue["margin"].isna())
    queue = queue.sort_values(["untouched", "first", "margin", "id"], kind="stable")[QUEUE_COLUMNS]
    queue = queue.reset_index(drop=True)
    return queue if n is None else queue.head(n)


def add_labels(
    path: str | os.PathLike,
    labels,
    papers: pd.DataFrame | None = None,
    taxonomy: Taxonomy | str | None = None,
    *,
    on_duplicate: str = "error",
) -> pd.DataFrame:
    """Append labels to a labels CSV (made if missing), never losing one already there.

    The file has the layout of ``data/labels.csv``: ``id``, ``topics`` (slugs separated by
    spaces, ``none`` for no topic), ``title``, ``rationale``.  A file in the layout of
    ``data/labels/*.csv`` (``key``, ``topics`` separated by ``;``, ``sure``) is kept in its own layout.

    Parameters
    ----------
    path : str or path
        The labels CSV.
    labels : dict or DataFrame
        ``{id: [slug, ...]}`` (an empty list: no topic), or a table with ``id`` and ``topics``
        (lists, or slugs separated by spaces or ``;``) and optionally ``rationale`` and ``sure``.
    papers : DataFrame, optional
        The papers labelled: fills ``title``; an id not in it is left out with a warning.
    taxonomy : Taxonomy or str, optional
        The slugs must be its topics; ``None`` for the default taxonomy.
    on_duplicate : {"error", "skip", "replace"}
        An id the file already labels: ``error`` raises naming the line, ``skip`` keeps the earlier
        label, ``replace`` writes the new one in its place and moves the earlier row, unchanged, to
        ``<name>.replaced.csv`` beside the file.

    Returns
    -------
    DataFrame
        The rows written (``id``, ``topics`` as lists, ``line`` in the file), and in ``attrs["skipped"]``
        the ids left as they were.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "my_labels.csv"
    >>> qlora = "title:qlora-efficient-finetuning-of-quantized-llms"
    >>> lr.add_labels(path, {"arxiv:2106.09685": ["peft"], qlora: ["peft", "efficiency"]},
    ...               lr.load())[["topics", "line"]].values.tolist()
    [[['peft'], 2], [['peft', 'efficiency'], 3]]
    >>> print(path.read_text().splitlines()[2])
    title:qlora-efficient-finetuning-of-quantized-llms,peft efficiency,QLoRA: Efficient Finetuning of Quantized LLMs,
    >>> lr.add_labels(path, {"arxiv:2106.09685": []})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    litreview.tagging.labelsets.LabelsError: my_labels.csv:2: id 'arxiv:2106.09685' is labelled already; ...
    """
    from litreview.tagging.tagger import _as_taxonomy
    from litreview.validation import check_choice

    check_choice(on_duplicate, "on_duplicate", ON_DUPLICATE)
    taxonomy = _as_taxonomy(taxonomy)
    path = Path(path)
    new = _new_labels(labels, taxonomy)
    if papers is not None:
        unknown = new[~new["id"].isin(set(papers["id"]))]
        if len(unknown):
            warnings.warn(f"{len(unknown)} id(s) not in the papers table, not written to {path.name}: "
                          f"{', '.join(unknown['id'])}; check the ids", stacklevel=2)
            new = new[new["id"].isin(set(papers["id"]))]
        titles = dict(zip(papers["id"], _titles(papers)))
        new["title"] = new["id"].map(titles).fillna("")
    existing = _read_file(path)
    id_column = "key" if "key" in existing.columns else "id"
    line_of = {pid: i + 2 for i, pid in enumerate(existing[id_column])}
    again = new[new["id"].isin(line_of)]
    if len(again) and on_duplicate == "error":
        first = again["id"].iloc[0]
        raise LabelsError(
            f"{path.name}:{line_of[first]}: id {first!r} is labelled already"
            + (f" (and {len(again) - 1} more)" if len(again) > 1 else "")
            + "; pass on_duplicate='skip' to keep the earlier label, or 'replace' to replace it "
            f"(the earlier row then goes to {path.stem}.replaced.csv)"
        )
    skipped = again["id"].tolist() if on_duplicate == "skip" else []
    rows = _file_rows(new, existing.columns, id_column)
    if on_duplicate == "replace" and len(again):
        replaced = existing[existing[id_column].isin(set(again["id"]))]
        _append(path.with_name(f"{path.stem}.replaced.csv"), replaced)
        updated = existing.set_index(existing[id_column])
        fresh = rows.set_index(rows[id_column])
        updated.loc[fresh.index.intersection(updated.index)] = fresh
        appended = rows[~rows[id_column].isin(line_of)]
        _write_whole(path, pd.concat([updated.reset_index(drop=True), appended], ignore_index=True))
        lines = {pid: line_of.get(pid, len(existing) + 2 + i) for i, pid in enumerate(appended[id_column])}
        lines.update({pid: line_of[pid] for pid in again["id"]})
    else:
        rows = rows[~rows[id_column].isin(line_of)]
        _append(path, rows)
        lines = {pid: len(existing) + 2 + i for i, pid in enumerate(rows[id_column])}
    written = new[new["id"].isin(lines)].assign(line=lambda f: f["id"].map(lines))[["id", "topics", "line"]]
    written = written.sort_values("line").reset_index(drop=True)
    written.attrs["skipped"] = skipped
    return written


def evaluate_taggers(papers: pd.DataFrame, labels, taxonomy: Taxonomy | str | None = None, *,
                     tagger=None) -> pd.DataFrame:
    """Precision, recall and F1 of the rules and of the learned decision on ``labels``, side by side.

    Parameters
    ----------
    papers : DataFrame
        A papers table holding the labelled papers.
    labels : DataFrame or path
        Hand labels (``id``, ``topics``), or a labels CSV.
    taxonomy : Taxonomy or str, optional
        ``None`` for the default taxonomy.
    tagger : FittedTagger, optional
        The learned decision; ``None`` for the one fitted on the shipped labels.  Its figures on
        papers it was fitted on (``data/labels``) are not generalisation figures.

    Returns
    -------
    DataFrame
        ``tagger`` (``rules``, ``learned``, or ``learned (fallback)`` for a topic the learned decision has no
        fitted weights for: rules plus description similarity), then the columns of :func:`litreview.evaluate`
        (the topics, then ``micro`` and ``macro``).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     table = lr.evaluate_taggers(lr.load(), lr.load_labels())
    >>> str(caught[-1].message)[:76]
    'the shipped learned decision was fitted on 74 of the 74 labelled papers here'
    >>> table[table["topic"] == "micro"][["tagger", "support"]].values.tolist()
    [['rules', 99], ['learned', 99]]
    """
    from litreview.tagging.evaluation import evaluate
    from litreview.tagging.tagger import _as_tagger, _as_taxonomy, tag

    taxonomy = _as_taxonomy(taxonomy)
    labels = read_any_labels(labels)
    frames = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the fallback warning: evaluate() measures whatever decided
        for name, decider in (("rules", "rules"), ("learned", tagger if tagger is not None else "learned")):
            scores = evaluate(tag(papers, taxonomy, tagger=decider), labels, taxonomy.slugs)
            frames.append(scores.assign(tagger=name))
    table = pd.concat(frames, ignore_index=True)
    # a topic the learned decision has no weights for is decided by its fallback: say so in its rows
    rules_twice = isinstance(tagger, str) and tagger == "rules"
    fallback = set() if rules_twice else set(_as_tagger(tagger).fallback_topics(taxonomy))
    if fallback:
        learned = table["tagger"] == "learned"
        whole = fallback >= set(taxonomy.slugs)  # (micro and macro rows too, when every topic falls back)
        falls = table["topic"].isin(fallback) | (table["topic"].isin(["micro", "macro"]) & whole)
        table.loc[learned & falls, "tagger"] = "learned (fallback)"
    if tagger is None:
        from litreview.tagging.labelsets import fitted_on

        labelled = papers[papers["id"].isin(set(labels["id"]))]
        seen = int(fitted_on(labelled).sum())
        if seen:
            warnings.warn(
                f"the shipped learned decision was fitted on {seen} of the {len(labelled)} labelled papers here "
                "(data/labels): its figures on them are in-sample, not a measure of how it tags new papers; "
                "measure it on papers it has not seen, or fit your own (lr.fit_tagger) and read its "
                "cross-validated figures", UserWarning, stacklevel=2)
    return table[["tagger", *table.columns[:-1]]]


# -- reading and writing --------------------------------------------------------------------------------------------


def _labelled_ids(labels) -> set:
    if labels is None:
        return set()
    if isinstance(labels, pd.DataFrame):
        return set(labels["id"] if "id" in labels else labels.get("key", []))
    path = Path(labels)
    if not path.exists():
        return set()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return set(frame["key"] if "key" in frame.columns else frame.get("id", []))


def read_any_labels(labels) -> pd.DataFrame:
    """``id``, ``topics`` (lists), ``sure`` and ``measured`` from a labels table or CSV of either layout, with
    the slugs of any taxonomy (a measure of one topic need not know the others); ids labelled twice are an
    error."""
    if isinstance(labels, pd.DataFrame):
        frame, name = labels.rename(columns={"key": "id"}), "labels table"
        lines = pd.Series(range(1, len(frame) + 1), index=frame.index).map(lambda n: f"labels table row {n}")
    elif isinstance(labels, (str, os.PathLike)):
        path = Path(labels)
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False).rename(columns={"key": "id"})
        except FileNotFoundError:
            raise LabelsError(f"{path}: no such labels file") from None
        name = path.name
        lines = pd.Series([f"{name}:{n}" for n in range(2, len(frame) + 2)], index=frame.index)
        empty = frame["topics"].str.strip() == "" if "topics" in frame else pd.Series(False, index=frame.index)
        if empty.any():
            at = empty.idxmax()
            raise LabelsError(f"{lines[at]}: empty topics cell for {frame.at[at, 'id']!r}; "
                              "write 'none' if the paper has no topic")
    else:
        raise TypeError(f"labels must be a DataFrame or a path, got {type(labels).__name__}")
    if not {"id", "topics"} <= set(frame.columns):
        raise LabelsError(f"{name}: needs the columns 'id' (or 'key') and 'topics'; it has {list(frame.columns)}")
    again = frame["id"].duplicated()
    if again.any():
        at = again.idxmax()
        first = frame.index[frame["id"] == frame.at[at, "id"]][0]
        raise LabelsError(f"{lines[at]}: id {frame.at[at, 'id']!r} labelled again (first at {lines[first]}); "
                          "keep one row per paper")
    problems: list[str] = []
    sure, measured = sure_flags(frame, lines.tolist(), problems), measured_flags(frame, lines.tolist(), problems)
    if problems:
        raise LabelsError(problems[0])
    return pd.DataFrame({"id": frame["id"], "topics": [_as_list(t) for t in frame["topics"]], "sure": sure,
                         "measured": measured})


def _new_labels(labels, taxonomy: Taxonomy) -> pd.DataFrame:
    if isinstance(labels, dict):
        labels = pd.DataFrame({"id": list(labels), "topics": [_as_list(v) for v in labels.values()]})
    if not isinstance(labels, pd.DataFrame):
        raise TypeError(f"labels must be a dict {{id: [slugs]}} or a DataFrame, got {type(labels).__name__}")
    if not {"id", "topics"} <= set(labels.columns):
        raise LabelsError(f"labels needs the columns 'id' and 'topics'; it has {list(labels.columns)}")
    frame = labels.reset_index(drop=True).assign(topics=[_as_list(v) for v in labels["topics"]])
    checked = check_labels(frame, taxonomy, "new")  # unknown slugs, ids given twice: one error naming each
    checked["rationale"] = frame["rationale"].fillna("").astype(str) if "rationale" in frame else ""
    checked["sure"] = frame["sure"].astype(str) if "sure" in frame else "1"
    checked["title"] = ""
    return checked[["id", "topics", "title", "rationale", "sure"]]


def _as_list(value) -> list[str]:
    if isinstance(value, str):
        return [s for s in value.replace(";", " ").split() if s != "none"]
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return [s for s in value if s != "none"]
    raise TypeError(f"topics must be a list of slugs or a string, got {type(value).__name__}")


def _read_file(path: Path) -> pd.DataFrame:
    if not path.exists() or not path.stat().st_size:
        return pd.DataFrame(columns=LABEL_FILE_COLUMNS)
    existing = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not ({"id", "topics"} <= set(existing.columns) or {"key", "topics"} <= set(existing.columns)):
        raise LabelsError(f"{path.name}:1: a labels file needs the columns 'id' (or 'key') and 'topics'; "
                          f"it has {list(existing.columns)}")
    return existing


def _file_rows(new: pd.DataFrame, columns, id_column: str) -> pd.DataFrame:
    """The new labels in the file's own columns and topic separator."""
    separator = ";" if id_column == "key" else " "
    values = {
        id_column: new["id"],
        "topics": [separator.join(t) if t else "none" for t in new["topics"]],
        "title": new["title"], "rationale": new["rationale"], "sure": new["sure"],
    }
    return pd.DataFrame({c: values.get(c, [""] * len(new)) for c in columns}, index=new.index).reset_index(drop=True)


def _append(path: Path, rows: pd.DataFrame) -> None:
    fresh = not path.exists() or not path.stat().st_size
    if rows.empty and not fresh:
        return  # (a new file gets its header even with no row: later reads find a labels file, empty)
    if not fresh:
        with open(path, "rb") as handle:  # a last line without its newline would glue to the first new row
            handle.seek(-1, os.SEEK_END)
            ends_with_newline = handle.read(1) in (b"\n", b"\r")
        if not ends_with_newline:
            with open(path, "a", encoding="utf-8", newline="") as handle:
                handle.write("\n")
    rows.to_csv(path, mode="a", header=fresh, index=False, lineterminator="\n", encoding="utf-8")


def _write_whole(path: Path, table: pd.DataFrame) -> None:
    """Write ``table`` to a temporary file beside ``path``, then put it in place: never half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        table.to_csv(temporary, index=False, lineterminator="\n", encoding="utf-8")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _titles(papers: pd.DataFrame) -> list[str]:
    from litreview.schema import display_titles

    return list(display_titles(papers, words=12).map(readable)) if len(papers) else []
