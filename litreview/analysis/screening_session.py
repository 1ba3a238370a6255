"""A screening session in a notebook: the next paper to read, progress, and a widget to decide with.

The notebook ``notebooks/screening.ipynb`` uses these.  :func:`paper_card` is
HTML for one paper (title, abstract, the terms that raised its score
highlighted, the score), built from untrusted text: every title and abstract
is escaped, nothing in them is executed.  :func:`screening_widget` wraps the
loop (show the top-ranked paper, record include/exclude with a reason into the
decisions file, refit, show the next) in ipywidgets, imported only when called;
without ipywidgets the notebook's plain cells do the same one decision per run.
"""

from __future__ import annotations

import html
import os
import re

import pandas as pd

from litreview.fields.latex import readable

PROGRESS_COLUMNS = ["papers", "screened", "included", "excluded", "left", "estimated_relevant_left",
                    "at_most_relevant_left", "stop_p_value", "retracted"]


# What a screener must see before the title: the papers whose source says they are not (or no longer) a study.
NOTICES = {
    "retracted": "Retracted: the source lists a retraction of this paper.",
    "retraction-notice": "A retraction notice, not a study.",
    "erratum": "An erratum notice, not a study.",
    "withdrawn": "Withdrawn: its abstract was a withdrawal notice.",
}


def paper_card(paper: pd.Series | dict, ranked: pd.Series | dict | None = None, *, position: int | None = None) -> str:
    """HTML for one paper: title, its first authors, venue and year, abstract with the ranking's terms
    highlighted, score; above the title, in
    red, a notice for a paper flagged ``retracted``, ``retraction-notice``, ``erratum`` or ``withdrawn``.

    ``paper`` is a row of the papers table; ``ranked`` its row of
    :func:`litreview.rank_for_screening` (for ``score`` and ``terms``).

    Parameters
    ----------
    paper : Series or dict
        ``id``, ``title``, ``abstract`` (either may be missing), ``authors``, ``venue``, ``year``,
        ``quality_flags`` (optional).
    ranked : Series or dict, optional
        ``score`` and ``terms`` (comma-separated) to show and highlight.
    position : int, optional
        The paper's rank, shown when given.

    Returns
    -------
    str
        HTML, with every title and abstract escaped.

    Examples
    --------
    >>> card = lr.paper_card({"id": "a", "title": "Active learning <a>works</a>"}, {"score": 1.5, "terms": "active"})
    >>> card.split("<p")[0]
    '<div class="litreview-paper"><h3><mark>Active</mark> learning &lt;a&gt;works&lt;/a&gt;</h3>'
    """
    terms = [t for t in str((ranked or {}).get("terms", "") or "").split(", ") if t]
    # (as a reader sees them: TeX decoded, publishers' inline tags and HTML entities left out, then escaped)
    title = _highlight(readable(_text(paper.get("title"))) or "(no title)", terms)
    abstract = _highlight(readable(_text(paper.get("abstract"))) or "(no abstract)", terms)
    facts = [f"id {html.escape(str(paper.get('id', '')))}"]
    if ranked is not None and "score" in ranked:
        facts.append(f"model score {float(ranked['score']):.2f}")
    if position is not None:
        facts.append(f"rank {position}")
    if terms:
        facts.append("terms: " + ", ".join(html.escape(t) for t in terms))
    flags = paper.get("quality_flags")
    flags = [] if flags is None or isinstance(flags, float) else list(flags)
    notices = "".join(f'<p style="color:#a00"><strong>{html.escape(text)}</strong></p>'
                      for flag, text in NOTICES.items() if flag in flags)
    return (
        '<div class="litreview-paper">'
        f"{notices}<h3>{title}</h3>{_byline(paper)}"
        f'<p style="color:#555">{" · ".join(facts)}</p>'
        f"<p>{abstract}</p>"
        "</div>"
    )


def _byline(paper: pd.Series | dict) -> str:
    """The paper's first authors, venue and year, as a screener reads them under the title; ``""`` for none."""
    authors = paper.get("authors")
    names = [] if authors is None or isinstance(authors, float) else [str(a) for a in authors]
    who = ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")
    year = paper.get("year")
    parts = [who, readable(_text(paper.get("venue"))), "" if year is None or pd.isna(year) else str(int(year))]
    shown = " · ".join(html.escape(part) for part in parts if part)
    return f'<p style="color:#555">{shown}</p>' if shown else ""


def screening_progress(papers: pd.DataFrame, decisions: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """One row: papers, screened, included, excluded, left, and the relevant papers estimated still unscreened.

    ``decisions`` in the order screened (as :func:`litreview.read_decisions`
    returns them); those on title and abstract count, and a paper decided on
    its full text alone counts as included there.  ``estimated_relevant_left`` and ``at_most_relevant_left``
    come from :func:`litreview.remaining_relevant` (its notes say how);
    ``stop_p_value`` from the stopping rule at 95% recall
    (:func:`litreview.stopping_test`): below 0.05, screening may stop.
    ``retracted``: papers their source flags retracted that have no decision,
    which are not screened (the PRISMA flow counts them as removed before
    screening): they are not ``left``, nor among the papers the estimates
    and the rule count (``papers`` is screened + left + retracted).

    Parameters
    ----------
    papers : DataFrame
        The papers being screened.
    decisions : DataFrame
        ``id`` and ``decision``, in the order screened.
    confidence : float
        The confidence of ``at_most_relevant_left``, between 0 and 1.

    Returns
    -------
    DataFrame
        One row: ``papers``, ``screened``, ``included``, ``excluded``, ``left``,
        ``estimated_relevant_left``, ``at_most_relevant_left``, ``stop_p_value``, ``retracted``.

    Examples
    --------
    >>> decisions = pd.DataFrame({"id": ["a", "b", "c"], "decision": ["include", "exclude", "exclude"]})
    >>> lr.screening_progress(pd.DataFrame({"id": list("abcdef")}), decisions).to_dict("records")
    [{'papers': 6, 'screened': 3, 'included': 1, 'excluded': 2, 'left': 3, 'estimated_relevant_left': 1.0,
      'at_most_relevant_left': 3, 'stop_p_value': 0.6, 'retracted': 0}]
    """
    from litreview.analysis.screened_ids import retracted_ids
    from litreview.analysis.screening import title_abstract_decisions
    from litreview.analysis.stopping import remaining_relevant, stopping_p_values

    decisions = title_abstract_decisions(decisions, papers)  # (a PMID, title: id... resolved, as the flow reads them)
    labels = (decisions["decision"] == "include").astype(int).to_numpy()
    retracted = len(retracted_ids(papers) - set(decisions["id"].astype(str)))
    to_screen = len(papers) - retracted
    left = remaining_relevant(labels, to_screen, confidence=confidence)
    p = stopping_p_values(labels, to_screen)[-1] if len(labels) else 1.0
    row = {
        "papers": len(papers), "screened": len(labels), "included": int(labels.sum()),
        "excluded": int(len(labels) - labels.sum()), "left": to_screen - len(labels),
        "estimated_relevant_left": left["estimate"], "at_most_relevant_left": left["upper"],
        "stop_p_value": round(float(p), 4), "retracted": retracted,
    }
    return pd.DataFrame([row], columns=PROGRESS_COLUMNS)


def status_line(progress: pd.DataFrame) -> str:
    """:func:`screening_progress` in one line, as the screening widget shows it.

    >>> progress = pd.DataFrame([{"papers": 15, "screened": 0, "included": 0, "excluded": 0, "left": 15,
    ...                           "estimated_relevant_left": float("nan"), "at_most_relevant_left": 15,
    ...                           "stop_p_value": 1.0}])
    >>> status_line(progress)
    'screened 0 of 15 · included 0 · relevant left: not estimated yet · stopping rule: p = 1.00, keep screening'
    """
    from litreview.analysis.stopping import p_text

    row = progress.iloc[0]
    estimate = float(row["estimated_relevant_left"])
    left = ("not estimated yet" if estimate != estimate else
            f"about {round(estimate)} (at most {int(row['at_most_relevant_left'])})")
    p = float(row["stop_p_value"])
    verdict = "screening may stop" if p < 0.05 else "keep screening"
    retracted = retracted_count(row)  # (not screened: not among the papers to screen)
    aside = f" · {retracted} retracted, not offered" if retracted else ""
    return (f"screened {int(row['screened'])} of {int(row['papers']) - retracted} · included {int(row['included'])} · "
            f"relevant left: {left} · stopping rule: p = {p_text(p)}, {verdict}{aside}")


def live_kernel() -> bool:
    """True in a kernel a person is typing into (JupyterLab, Notebook, VS Code), False under papermill or nbval.

    Front ends a person uses allow the kernel to ask for input; the batch
    runners (nbclient, which papermill and nbconvert use, and nbval) do not.

    Returns
    -------
    bool

    Examples
    --------
    >>> lr.live_kernel()  # a plain Python session, as under pytest, papermill or nbval
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    return bool(getattr(kernel, "_allow_stdin", False))


def screening_widget(papers: pd.DataFrame, decisions_path: str | os.PathLike, *, reviewer: str | None = None,
                     seed: int = 0, force: bool = False):
    """An ipywidgets screening loop over ``papers``, writing to ``decisions_path``.

    Shows the top-ranked unscreened paper with buttons to include or exclude
    it (a reason is asked for exclusions), appends the decision with
    :func:`litreview.record_decision`, refits and shows the next.  Returns the
    widget, or ``None`` when ipywidgets is not installed or no person is at
    the kernel (:func:`live_kernel`; ``force=True`` builds it anyway): use the
    notebook's plain cells then.

    Parameters
    ----------
    papers : DataFrame
        The papers to screen (``id``, ``title`` and/or ``abstract``).
    decisions_path : str or path
        The decisions file the widget appends to.
    reviewer : str, optional
        Who screens (fills the file's ``reviewer`` column).
    seed : int
        The seed of the ranking.
    force : bool
        Build the widget even when no person is at the kernel.

    Returns
    -------
    ipywidgets.VBox or None

    Examples
    --------
    >>> import tempfile, pathlib
    >>> papers = pd.DataFrame({"id": ["a", "b"], "title": ["Active learning", "Coral reef fish"]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "decisions.csv"
    >>> lr.screening_widget(papers, path) is None  # no person at this kernel: the notebook's plain cells screen
    True
    >>> lr.screening_widget(papers, path, force=True)  # doctest: +SKIP
    VBox(...)
    """
    if not (force or live_kernel()):
        return None
    try:
        import ipywidgets as widgets
    except ImportError:
        return None
    from IPython.display import HTML, display

    from litreview.analysis.ranking import rank_for_screening, screening_features
    from litreview.analysis.screening_log import read_decisions, record_decision

    features = screening_features(papers)  # once: every refit reuses it
    by_id = papers.set_index(papers["id"].astype(str))
    card, status = widgets.Output(), widgets.HTML()
    reason = widgets.Text(placeholder="reason (needed to exclude)", layout=widgets.Layout(width="50%"))
    include = widgets.Button(description="Include", button_style="success")
    exclude = widgets.Button(description="Exclude", button_style="danger")
    state: dict = {}

    def show() -> None:
        decisions = read_decisions(decisions_path, papers, reviewer=reviewer)
        ranking = rank_for_screening(papers, decisions, seed=seed, features=features)
        status.value = html.escape(status_line(screening_progress(papers, decisions)))
        card.clear_output()
        with card:
            if ranking.empty:
                display(HTML("<p>Every paper is screened.</p>"))
                state.clear()
                return
            top = ranking.iloc[0]
            state["id"] = top["id"]
            display(HTML(paper_card(by_id.loc[top["id"]].to_dict() | {"id": top["id"]}, top.to_dict(), position=1)))

    def decide(decision: str) -> None:
        if "id" not in state:
            return
        try:
            record_decision(decisions_path, state["id"], decision, reason.value, reviewer=reviewer, papers=papers)
        except ValueError as error:
            status.value = f"<b>not recorded:</b> {html.escape(str(error))}"
            return
        reason.value = ""
        show()

    include.on_click(lambda _: decide("include"))
    exclude.on_click(lambda _: decide("exclude"))
    show()
    return widgets.VBox([status, card, widgets.HBox([include, exclude, reason])])


def _highlight(text: str, terms: list[str]) -> str:
    """``text`` escaped, each occurrence of ``terms`` (whole words, any case) in <mark>."""
    if not terms:
        return html.escape(text)
    pattern = re.compile(r"\b(" + "|".join(re.escape(t).replace(r"\ ", r"\W+") for t in
                                           sorted(terms, key=len, reverse=True)) + r")\b", re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last:match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return str(value)


def retracted_count(row: pd.Series) -> int:
    """A progress row's ``retracted`` (:func:`screening_progress`); 0 for a row made before the column was, or
    where a table joined with such rows left it missing."""
    value = row.get("retracted", 0)
    return 0 if value is None or pd.isna(value) else int(value)
