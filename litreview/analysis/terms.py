"""Terms that set a group of papers apart from the rest of the corpus.

Uses the weighted log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008): the z-score of a term's log-odds in the group
against the rest, shrunk towards its corpus frequency, so rare terms do not
dominate as they do with raw ratios.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from litreview.analysis.text import paper_text, strip_notices, strip_urls, term_stop_words
from litreview.analysis.vectorize import NoTerms, count_terms
from litreview.fields.latex import plain_text
from litreview.figures import axes_for, finish
from litreview.validation import check_frame, check_int

TOKEN_PATTERN = re.compile(r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b")


_PHRASE_BREAK = re.compile(r"[.!?;:]\s|[()\[\]]")  # a phrase never spans a sentence or a bracket


def phrase_analyzer(ngram_range: tuple[int, int] = (1, 2), stop_words=()):
    """Words and phrases of adjacent words, none of them a stop word.

    Unlike scikit-learn's default, a phrase never spans a removed stop word,
    so "keep the base" does not become the phrase "keep base", nor the end of
    a sentence ("attention. Sparse" is no phrase).  One pass splits the text
    into runs of kept words; phrases are cut from the runs.

    Stop words are :func:`litreview.analysis.text.term_stop_words`: English,
    the kit's domain words, the prose verbs of ``data/stopwords.txt`` and any
    ``stop_words`` given; URLs (and words glued to them), publishers' copyright notices and markup (LaTeX commands,
    publishers' tags: :func:`litreview.fields.latex.plain_text`, as topic discovery reads the text) are dropped first.
    """
    stops = term_stop_words(stop_words)
    low, high = ngram_range

    def analyse(text: str) -> list[str]:
        runs: list[list[str]] = []
        for chunk in _PHRASE_BREAK.split(strip_urls(strip_notices(plain_text(text))).lower()):
            run: list[str] = []
            for word in TOKEN_PATTERN.findall(chunk):
                if word in stops:
                    if run:
                        runs.append(run)
                        run = []
                else:
                    run.append(word)
            if run:
                runs.append(run)
        out = []
        for n in range(low, high + 1):
            for run in runs:
                out.extend(run if n == 1 else (" ".join(run[i : i + n]) for i in range(len(run) - n + 1)))
        return out

    return analyse


def distinctive_terms(
    papers: pd.DataFrame,
    in_group: pd.Series,
    n: int = 15,
    ngram_range: tuple[int, int] = (1, 2),
    min_df: int = 2,
    stop_words=(),
) -> pd.DataFrame:
    """The ``n`` terms most over-represented in the papers where ``in_group`` is True.

    Parameters
    ----------
    papers : DataFrame
        A papers table with ``title`` and ``abstract``.
    in_group : sequence of bool
        One value per paper: True for the group (``lr.has_topic(tagged, "peft")``).
    n : int
        How many terms, 1 or more.
    ngram_range : (int, int)
        Words per term, lowest and highest.
    min_df : int
        The fewest papers a term must be in (at most the group's size), 1 or more.
    stop_words : iterable of str
        Words to leave out besides the documented stop list (see :func:`phrase_analyzer`).

    Returns
    -------
    DataFrame
        ``term``, ``z`` (weighted log-odds z-score), ``in_group`` and ``rest``
        (papers containing the term in each part), highest ``z`` first; ties
        are broken alphabetically so the table is the same on every run.  An
        empty group (a topic with no papers, or no papers at all) gives an
        empty table with these columns, and so does a group whose papers leave
        no term (a few short titles).

    Raises
    ------
    ValueError
        When ``in_group`` selects every paper: there is no rest to compare with.

    Examples
    --------
    >>> papers = pd.DataFrame({"title": ["Sparse kernels", "Sparse attention kernels", "Prompt tuning"],
    ...                        "abstract": [None, None, None]})
    >>> lr.distinctive_terms(papers, [True, True, False], n=2)[["term", "in_group", "rest"]].values.tolist()
    [['kernels', 2, 0], ['sparse', 2, 0]]
    """
    check_frame(papers, "papers", ("title", "abstract"), "load it with lr.load()")
    check_int(n, "n", 1)
    check_int(min_df, "min_df", 1)
    if isinstance(in_group, (str, bytes)) or not hasattr(in_group, "__len__"):
        raise TypeError(f"in_group must be a boolean sequence with one value per paper, got {type(in_group).__name__}")
    mask = np.asarray(in_group, dtype=bool)
    if mask.shape != (len(papers),):
        raise ValueError(f"in_group must have one value per paper: {len(papers)} papers, {mask.size} values")
    empty = pd.DataFrame({"term": pd.Series(dtype=object), "z": pd.Series(dtype=float),
                          "in_group": pd.Series(dtype="int64"), "rest": pd.Series(dtype="int64")})
    if not mask.any():  # an empty selection: nothing sets it apart
        return empty
    if mask.all():
        raise ValueError("in_group selects every paper: there is no rest of the corpus to compare with")
    try:
        counts, terms = count_terms(paper_text(papers), phrase_analyzer(ngram_range, stop_words),
                                    min_df=min(min_df, int(mask.sum())))
    except NoTerms:
        return empty
    group = np.asarray(counts[mask].sum(axis=0)).ravel().astype(float)
    rest = np.asarray(counts[~mask].sum(axis=0)).ravel().astype(float)
    prior = group + rest + 0.01
    a0 = prior.sum()
    n1, n2 = group.sum(), rest.sum()
    delta = np.log((group + prior) / (n1 + a0 - group - prior)) - np.log((rest + prior) / (n2 + a0 - rest - prior))
    variance = 1 / (group + prior) + 1 / (rest + prior)
    z = delta / np.sqrt(variance)
    present = counts > 0
    table = pd.DataFrame(
        {
            "term": terms,
            "z": np.round(z, 2),
            "in_group": np.asarray(present[mask].sum(axis=0)).ravel(),
            "rest": np.asarray(present[~mask].sum(axis=0)).ravel(),
        }
    )
    table = table[table["in_group"] > 0]
    return table.sort_values(["z", "term"], ascending=[False, True]).head(n).reset_index(drop=True)


def plot_distinctive_terms(terms: pd.DataFrame, title: str = "Distinctive terms", *, ax=None):
    """Horizontal bars of the z-scores from :func:`distinctive_terms`, the most distinctive on top.

    Parameters
    ----------
    terms : DataFrame
        The table :func:`distinctive_terms` returns (``term``, ``z``).
    title : str
        The Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when None.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per term.

    Examples
    --------
    >>> terms = lr.distinctive_terms(tagged, lr.has_topic(tagged, "peft"), n=3)
    >>> ax = lr.plot_distinctive_terms(terms)
    >>> [t.get_text() for t in ax.get_yticklabels()][::-1] == terms["term"].tolist()
    True
    """
    check_frame(terms, "terms", ("term", "z"), "pass the table lr.distinctive_terms(papers, in_group) returns")
    created = ax is None
    ax = axes_for(ax, (6, 0.28 * len(terms) + 1.2))
    ordered = terms.iloc[::-1]
    ax.barh(ordered["term"].astype(str), ordered["z"], color="#dd8452")
    ax.set_xlabel("weighted log-odds (z-score) against the rest of the corpus")
    ax.set_title(title)
    return finish(ax, created)
