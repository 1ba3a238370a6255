"""Measure tag quality against hand labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from litreview.data import labels_path

SCORE_COLUMNS = ["topic", "precision", "recall", "f1", "support", "tp", "fp", "fn"]


def load_labels(path: str | Path | None = None, papers: pd.DataFrame | None = None, taxonomy=None) -> pd.DataFrame:
    """Read a hand-labels CSV: columns ``id`` and ``topics`` (slugs separated by spaces; ``none`` for no topic).

    The layout of ``data/labels/*.csv`` (``key``, ``topics`` joined by ``;``, ``sure``) is read too, its
    ``key`` as the ``id``: those keys are ``title:`` and the paper's title, the ids of
    ``data/labels/texts.csv`` (the labelled papers' texts), not the ids :func:`litreview.load` gives.
    Pass ``papers`` to join such labels to a loaded corpus: an id of the form ``title:<title>``
    that is not in ``papers`` takes the id of the one paper whose title is the same (case, accents,
    punctuation and LaTeX aside); the label's own id stays in a ``key`` column.

    Parameters
    ----------
    path : str or Path, optional
        A labels CSV; ``None`` for ``data/labels.csv`` (the hand labels of the default corpus).
    papers : DataFrame, optional
        A corpus (:func:`litreview.load`) to match ``title:`` ids against by title.
    taxonomy : Taxonomy or str, optional
        Check that every slug is one of its topics (not checked when None).

    Returns
    -------
    DataFrame
        ``id`` and ``topics`` as a list of slugs, ``sure`` (where the file has it) as booleans; other
        columns (a title, a rationale) are kept as they are.  A file without those columns, an empty id
        or topics cell (``none`` says no topic; in the ``key`` layout an empty cell is no topic, as its
        README says), a ``sure`` neither yes nor no, an id labelled twice, or (with ``taxonomy``) an
        unknown slug raises :class:`LabelsError` naming the file, the line and the fix.

    Examples
    --------
    >>> labels = lr.load_labels()
    >>> len(labels), labels.columns.tolist()
    (74, ['id', 'topics', 'title', 'rationale'])
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = path.write_text("id,topics\\na,peft agents\\nb,none\\n")
    >>> lr.load_labels(path)["topics"].tolist()
    [['peft', 'agents'], []]
    >>> from litreview.data import data_dir
    >>> colm = lr.load_labels(data_dir() / "labels" / "colm2024_rest.csv")
    >>> colm.columns.tolist(), len(colm)
    (['id', 'topics', 'sure'], 149)
    >>> colm["id"].iloc[0][:25], colm["topics"].iloc[0]
    ('title:ReAct Meets ActRe: ', ['reasoning', 'agents', 'data'])
    >>> corpus = pd.DataFrame({"id": ["arxiv:2404.00001"], "title": ["ReAct meets ActRe: autonomous annotation "
    ...                        "of agent trajectories for contrastive self-training"]})
    >>> lr.load_labels(data_dir() / "labels" / "colm2024_rest.csv", papers=corpus)["id"].iloc[0]
    'arxiv:2404.00001'
    """
    from litreview.tagging.labelsets import LabelsError, check_labels

    path = Path(path) if path is not None else labels_path()
    try:
        labels = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise LabelsError(f"{path}: no such labels file") from None
    keyed = "key" in labels.columns and "id" not in labels.columns  # the layout of data/labels/*.csv
    labels = labels.rename(columns={"key": "id"}) if keyed else labels
    missing = {"id", "topics"} - set(labels.columns)
    if missing:
        raise LabelsError(f"{path.name}: labels file lacks column(s) {sorted(missing)}")
    if taxonomy is not None:
        from litreview.tagging.tagger import _as_taxonomy

        taxonomy = _as_taxonomy(taxonomy)
    checked = check_labels(labels.assign(file=path.name, line=range(2, len(labels) + 2)), taxonomy,
                           empty_is_none=keyed)
    labels["topics"] = checked["topics"].tolist()
    if "sure" in labels.columns:  # (as booleans, read strictly by check_labels, not kept as the text "0")
        labels["sure"] = checked["sure"].tolist()
    if papers is not None:
        labels = _ids_by_title(labels.assign(line=range(2, len(labels) + 2)), papers, path.name).drop(columns="line")
    return labels


def _ids_by_title(labels: pd.DataFrame, papers: pd.DataFrame, name: str) -> pd.DataFrame:
    """``labels`` with each ``title:<title>`` id not in ``papers`` replaced by the id of the one
    paper of that title (by :func:`~litreview.fields.ids.normalize_title`); ``key`` keeps the label's id.
    Two labels landing on one paper are an error; a title no paper has is named in a warning."""
    import warnings

    from litreview.fields.ids import normalize_title
    from litreview.tagging.labelsets import LabelsError
    from litreview.validation import check_frame

    check_frame(papers, "papers", ("id", "title"), "pass lr.load(...)")
    known = set(papers["id"])
    has_title = papers["title"].map(lambda t: isinstance(t, str) and bool(t.strip())).astype(bool)
    titled = papers.loc[has_title]
    keys = titled["title"].map(normalize_title)
    unique = ~keys.duplicated(keep=False)  # a title two papers share names neither
    by_title = dict(zip(keys[unique], titled["id"][unique]))
    ids = [
        by_title.get(normalize_title(i[len("title:"):]), i) if i.startswith("title:") and i not in known else i
        for i in labels["id"]
    ]
    out = labels.assign(key=labels["id"], id=ids)
    twice = out[out["id"].duplicated(keep=False)]
    if len(twice):
        first = twice.groupby("id", sort=False)["line"].agg(list)
        problems = [f"{name}:{lines[1]}: {pid!r} is labelled again by title (first at {name}:{lines[0]}); keep one "
                    "row per paper" for pid, lines in first.items()]
        raise LabelsError("bad labels:\n" + "\n".join(problems))
    titled_key = out["id"].map(lambda i: isinstance(i, str) and i.startswith("title:")).astype(bool)
    unmatched = out.loc[titled_key & ~out["id"].isin(known)]
    if len(unmatched):
        where = ", ".join(f"{name}:{n}" for n in unmatched["line"].head(5))
        warnings.warn(f"{len(unmatched)} title-keyed label(s) match no paper's title ({where}"
                      f"{', ...' if len(unmatched) > 5 else ''}); they are kept under their own keys",
                      UserWarning, stacklevel=3)
    return out


def evaluate(tagged: pd.DataFrame, labels: pd.DataFrame, topics: list[str] | None = None) -> pd.DataFrame:
    """Per-topic precision, recall and F1 of ``tagged["topics"]`` against ``labels``.

    Only papers present in both tables are scored.  ``topics`` (for example
    ``taxonomy.slugs``) defaults to every topic seen in either table, sorted.
    Two summary rows follow: ``micro`` (pooled counts) and ``macro`` (mean of
    per-topic scores).  A score with nothing to measure is missing (NaN), not 0: precision
    of a topic never tagged, recall of one never labelled, and all three of a topic neither
    labelled nor tagged in these papers; the macro mean is over the topics that have the score.

    Parameters
    ----------
    tagged : DataFrame
        ``id`` and ``topics`` (:func:`litreview.tag`).
    labels : DataFrame
        ``id`` and ``topics`` (:func:`load_labels`).
    topics : list of str, optional
        The topics to score, in this order.

    Returns
    -------
    DataFrame
        Columns ``topic``, ``precision``, ``recall``, ``f1`` (rounded to 3 places), ``support``,
        ``tp``, ``fp``, ``fn``.

    Examples
    --------
    >>> tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], ["peft", "agents"], []]})
    >>> labels = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], ["agents"], ["peft"]]})
    >>> lr.evaluate(tagged, labels).values.tolist()
    [['agents', 1.0, 1.0, 1.0, 1, 1, 0, 0], ['peft', 0.5, 0.5, 0.5, 2, 1, 1, 1],
     ['micro', 0.667, 0.667, 0.667, 3, 2, 1, 1], ['macro', 0.75, 0.75, 0.75, 3, 2, 1, 1]]
    """
    for name, frame in (("tagged", tagged), ("labels", labels)):
        if not {"id", "topics"} <= set(frame.columns):
            raise ValueError(f"{name} needs columns 'id' and 'topics'")
    if "measured" in labels:  # labels meant only to fit on (a ``measured`` column of 0s) never score
        from litreview.tagging.labelsets import measured_flags

        problems: list[str] = []
        keep = measured_flags(labels, [f"labels row {n}" for n in range(1, len(labels) + 1)], problems)
        if problems:
            raise ValueError(problems[0])
        labels = labels[np.asarray(keep, dtype=bool)]  # (an empty list would select columns, not rows)
    gold = dict(zip(labels["id"], labels["topics"]))
    pred = {pid: t for pid, t in zip(tagged["id"], tagged["topics"]) if pid in gold}
    if not pred:
        raise ValueError(
            f"no paper id is in both the tagged table ({len(tagged):,} papers) and the labels "
            f"({len(gold):,} labelled): the labels are of other papers; label some of these "
            "(lr.labelling_queue, lr.add_labels) or pass the labels of this corpus"
        )
    if topics is None:
        topics = sorted({t for ts in list(gold.values()) + list(pred.values()) for t in ts})
    rows = []
    for topic in topics:
        tp = sum(topic in pred[p] and topic in gold[p] for p in pred)
        fp = sum(topic in pred[p] and topic not in gold[p] for p in pred)
        fn = sum(topic not in pred[p] and topic in gold[p] for p in pred)
        rows.append(_scores(topic, tp, fp, fn))
    table = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    micro = _scores("micro", *(int(table[c].sum()) for c in ("tp", "fp", "fn")))
    macro = {c: table[c].mean() for c in ("precision", "recall", "f1")}
    macro.update(topic="macro", support=int(table["support"].sum()), tp=micro["tp"], fp=micro["fp"], fn=micro["fn"])
    return pd.concat([table, pd.DataFrame([micro, macro])], ignore_index=True).round(3)


def _scores(topic: str, tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    # (a topic neither labelled nor tagged in these papers has no F1: a 0 would pull the macro mean down)
    f1 = 2 * precision * recall / (precision + recall) if tp else (0.0 if fp or fn else float("nan"))
    return {
        "topic": topic,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "support": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def tagging_errors(tagged: pd.DataFrame, labels: pd.DataFrame, topic: str) -> pd.DataFrame:
    """The papers the tagger got wrong for ``topic``: ``kind`` is ``fp`` or ``fn``.

    Parameters
    ----------
    tagged : DataFrame
        ``id`` and ``topics`` (:func:`litreview.tag`).
    labels : DataFrame
        ``id`` and ``topics`` (:func:`load_labels`); papers without a label are left out.
    topic : str
        The topic slug.

    Returns
    -------
    DataFrame
        Columns ``id`` and ``kind`` (``fp``: tagged, not labelled; ``fn``: labelled, not tagged),
        in the order of ``tagged``.

    Examples
    --------
    >>> tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], ["peft", "agents"], []]})
    >>> labels = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], ["agents"], ["peft"]]})
    >>> lr.tagging_errors(tagged, labels, "peft").values.tolist()
    [['b', 'fp'], ['c', 'fn']]
    """
    gold = dict(zip(labels["id"], labels["topics"]))
    rows = []
    for pid, topics in zip(tagged["id"], tagged["topics"]):
        if pid not in gold:
            continue
        if topic in topics and topic not in gold[pid]:
            rows.append((pid, "fp"))
        elif topic not in topics and topic in gold[pid]:
            rows.append((pid, "fn"))
    return pd.DataFrame(rows, columns=["id", "kind"])
