"""The labelling loop as an ipywidgets view: one paper at a time, least certain first.

The logic is :mod:`litreview.tagging.labelling` (the queue, the standard, the
labels file, the re-evaluation); this module only wires it to widgets, and is
imported only when called.  Without ipywidgets, or with no person at the kernel
(papermill, nbval), :func:`labelling_widget` returns ``None`` and a notebook's
plain cells run the same loop (``notebooks/walkthroughs/02``).
"""

from __future__ import annotations

import html
import os
import re

import pandas as pd


def labelling_widget(papers: pd.DataFrame, labels_path: str | os.PathLike, taxonomy=None, *, tagger=None,
                     force: bool = False):
    """An ipywidgets labelling loop over ``papers``, appending to ``labels_path``.

    Shows the labelling standard (folded), then the paper the kit is least sure
    about (:func:`litreview.labelling_queue`) with a box per topic; "Save and next"
    appends the ticked topics (none ticked: no topic) with
    :func:`litreview.add_labels`, measures the rules and the learned decision on
    every label of the file (:func:`litreview.evaluate_taggers`) and shows the
    next paper; "Skip" moves on without writing.  Returns the widget, or
    ``None`` when ipywidgets is missing or no person is at the kernel
    (:func:`litreview.live_kernel`; ``force=True`` builds it anyway).

    Parameters
    ----------
    papers : DataFrame
        The papers to label (``id``, ``title`` and/or ``abstract``).
    labels_path : str or path
        The labels CSV the widget appends to (made if missing).
    taxonomy : Taxonomy or str, optional
        ``None`` for the default taxonomy.
    tagger : FittedTagger, optional
        The learned decision; ``None`` for the one fitted on the shipped labels.
    force : bool
        Build the widget even when no person is at the kernel.

    Returns
    -------
    ipywidgets.VBox or None

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "my_labels.csv"
    >>> lr.labelling_widget(lr.load(), path) is None  # no person at this kernel: the plain cells label
    True
    >>> lr.labelling_widget(lr.load(), path, force=True)  # doctest: +SKIP
    VBox(...)
    """
    from litreview.analysis.screening_session import live_kernel

    if not (force or live_kernel()):
        return None
    try:
        import ipywidgets as widgets
    except ImportError:
        return None
    from IPython.display import HTML, display

    from litreview.analysis.screening_session import paper_card
    from litreview.tagging.labelling import add_labels, labelling_queue, labelling_standard
    from litreview.tagging.tagger import _as_taxonomy

    taxonomy = _as_taxonomy(taxonomy)
    queue = labelling_queue(papers, labels_path, taxonomy, tagger=tagger, n=None)
    by_id = papers.drop_duplicates("id").set_index("id")
    status, card = widgets.HTML(), widgets.Output()
    standard = widgets.Accordion(children=[widgets.HTML(markdown_html(labelling_standard(taxonomy)))])
    standard.set_title(0, "How to label (the standard)")
    standard.selected_index = None
    boxes = [widgets.Checkbox(value=False, description=f"{t.slug}: {t.label}", indent=False,
                              layout=widgets.Layout(width="32%")) for t in taxonomy.topics]
    rationale = widgets.Text(placeholder="why (optional: one line)", layout=widgets.Layout(width="60%"))
    save = widgets.Button(description="Save and next", button_style="primary")
    skip = widgets.Button(description="Skip")
    state = {"position": 0, "note": ""}

    def show() -> None:
        status.value = progress_line(papers, labels_path, taxonomy, tagger) + state["note"]
        card.clear_output()
        with card:
            if state["position"] >= len(queue):
                state.pop("id", None)
                display(HTML("<p>No paper left to label.</p>"))
                return
            row = queue.iloc[state["position"]]
            state["id"] = row["id"]
            display(HTML(paper_card(by_id.loc[row["id"]].to_dict() | {"id": row["id"]}, None,
                                    position=state["position"] + 1)))

    def on_save(_=None) -> None:
        if "id" not in state:
            return
        ticked = [t.slug for t, box in zip(taxonomy.topics, boxes) if box.value]
        new = pd.DataFrame({"id": [state["id"]], "topics": [ticked], "rationale": [rationale.value.strip()]})
        try:
            add_labels(labels_path, new, papers, taxonomy)
        except ValueError as error:
            state["note"] = f"<br><b>not saved:</b> {html.escape(str(error))}"
            status.value = progress_line(papers, labels_path, taxonomy, tagger) + state["note"]
            return
        state["note"] = ""
        for box in boxes:
            box.value = False
        rationale.value = ""
        state["position"] += 1
        show()

    def on_skip(_=None) -> None:
        state["position"] += 1
        state["note"] = ""
        show()

    save.on_click(on_save)
    skip.on_click(on_skip)
    show()
    return widgets.VBox([status, standard, card, widgets.HBox(boxes, layout=widgets.Layout(flex_flow="row wrap")),
                         widgets.HBox([save, skip, rationale])])


def progress_line(papers: pd.DataFrame, labels_path, taxonomy, tagger=None) -> str:
    """``12 papers labelled in my_labels.csv · micro-F1 on them: rules 0.71, learned 0.80`` (HTML)."""
    from litreview.tagging.labelling import _labelled_ids, evaluate_taggers

    name = html.escape(os.path.basename(str(labels_path)))
    done = _labelled_ids(labels_path) & set(papers["id"])
    if not done:
        return f"no paper labelled yet in {name}"
    scores = evaluate_taggers(papers[papers["id"].isin(done)], labels_path, taxonomy, tagger=tagger)
    micro = scores[scores["topic"] == "micro"].set_index("tagger")["f1"]
    noun = "paper" if len(done) == 1 else "papers"
    learned = next(t for t in micro.index if t != "rules")  # ("learned", or "learned (fallback)": said as such)
    return (f"{len(done)} {noun} labelled in {name} · micro-F1 on them: rules {_f1(micro['rules'])}, "
            f"{learned} {_f1(micro[learned])}")


def _f1(score: float) -> str:
    """An F1 as the line shows it: none (``-``) where neither the labels nor the tags give these papers a topic."""
    return "-" if score != score else f"{score:.2f}"


def markdown_html(text: str) -> str:
    """The little Markdown of the labelling standard as HTML: paragraphs, ``-`` lists, bold, code; all escaped."""
    out, items = [], []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if all(line.startswith(("- ", "  ")) for line in lines):
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:])
                else:
                    items[-1] += " " + line.strip()
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items = []
        else:
            out.append(f"<p>{_inline(' '.join(lines))}</p>")
    return "".join(out)


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    return re.sub(r"`{1,2}(.+?)`{1,2}", r"<code>\1</code>", text)
