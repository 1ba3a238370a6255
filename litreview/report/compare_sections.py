"""What the compare-topics report says beside its tables: how to run it again for other topics."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Sequence

import pandas as pd

from litreview.report.format import Text, say


def other_topics(tagged: pd.DataFrame, taxonomy, pair: Sequence[str], n: int = 2) -> pd.DataFrame:
    """Up to ``n`` topics of ``taxonomy`` besides ``pair`` (``topic``, ``papers``), those with the most papers in
    ``tagged`` first (ties by slug): the ones a reader is likeliest to compare next."""
    from litreview.analysis.trends import topic_counts

    counts = topic_counts(tagged, taxonomy.slugs)
    return counts[~counts["topic"].isin(list(pair))].head(n)[["topic", "papers"]].reset_index(drop=True)


def rerun_line(tagged: pd.DataFrame, taxonomy, topic_a: str, topic_b: str, corpus=(),
               taxonomy_file: str | os.PathLike | None = None, errors: str = "raise", tagger: str = "learned") -> Text:
    """The command that runs the comparison for two other topics of the taxonomy in use (the largest here), with
    the ``corpus``, ``taxonomy_file``, ``errors`` and ``tagger`` of this run, so it runs as written: a fixed example
    (``peft`` against ``efficiency``) named topics a taxonomy of one's own does not have, and a corpus read with
    ``errors="skip"`` stops a run without it."""
    others = other_topics(tagged, taxonomy, (topic_a, topic_b))
    if others.empty:
        return say("The taxonomy has no topic besides these two, so there is no other pair to compare.")
    # (one other topic: it is compared with the first of this pair)
    first, second = ([*others["topic"], topic_a])[:2]
    command = ["litreview", "report", "--notebook", "compare_topics"]
    if corpus:
        command += ["--corpus", *map(os.fspath, [corpus] if isinstance(corpus, (str, os.PathLike)) else corpus)]
    if taxonomy_file:
        command += ["--taxonomy", os.fspath(taxonomy_file)]
    if errors != "raise":
        command += ["--errors", errors]
    if tagger != "learned":
        command += ["--param", f"tagger={tagger}"]
    command += ["--param", f"topic_a={_yaml_text(first)}", "--param", f"topic_b={_yaml_text(second)}"]
    if len(others) == 1:
        which = "its other topic"
    else:
        which = "two other topics of this taxonomy" + (" (the largest here)" if others["papers"].all() else "")
    return Text(say("Run it for {which} with ", which=which).markdown + code_span(shlex.join(command)) + ".")


def _yaml_text(slug: str) -> str:
    """``slug`` as ``--param`` reads it back as text: its value is read as YAML, where ``no`` or ``null`` is none."""
    import yaml

    return slug if yaml.safe_load(slug) == slug else f'"{slug}"'  # (a slug is letters, digits and hyphens)


def code_span(text: str) -> str:
    """``text`` as a Markdown code span: fenced by one backtick more than its longest run of them, so a file name's
    backticks cannot end the span early (what follows would be read as Markdown, raw HTML too), and padded by a
    space then (a span's one leading and trailing space are dropped)."""
    runs = re.findall(r"`+", text)
    fence = "`" * (max(map(len, runs), default=0) + 1)
    pad = " " if runs else ""
    return f"{fence}{pad}{text}{pad}{fence}"
