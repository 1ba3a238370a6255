"""Which models, datasets/benchmarks and methods the papers mention, per topic and over time.

The entities are an editable YAML dictionary (``data/entities.yaml`` by default), one list per kind::

    model:
      - {name: GPT-3, exclude: [GPT-3.5]}
      - {name: CLIP, acronyms: [CLIP]}
    dataset:
      - {name: The Pile, acronyms: [The Pile, the Pile]}
    method:
      - {name: LoRA, acronyms: [LoRA], aliases: [low-rank adaptation]}

``name`` is shown in tables and is itself a spelling, matched regardless of
case unless it is listed under ``acronyms``; ``aliases`` are more spellings
matched regardless of case; ``acronyms`` are matched only as written;
``exclude`` lists phrases inside which a spelling does not count.

Matching is the taxonomy's, not a copy of it: each entity becomes a topic of
a :class:`~litreview.tagging.taxonomy.Taxonomy` (its spellings the topic's ``terms``
and ``acronyms``) and :func:`litreview.tagging.tagger.evidence` finds them, so the
rules are the same (whole words; case, hyphens and a plural ``s`` folded;
acronyms case-sensitive) and so is the speed.  A paper mentions an entity when
any spelling matches in any of the fields searched, the newsletter commentary
(``notes``) included by default; pass ``fields=("title", "abstract")`` for the
papers' own words only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from litreview.data import data_dir
from litreview.figures import axes_for, finish
from litreview.tagging.tagger import FIELDS, evidence
from litreview.tagging.taxonomy import Taxonomy, TaxonomyError, parse_taxonomy
from litreview.validation import check_frame, check_int

KINDS: tuple[str, ...] = ("model", "dataset", "method")
MENTION_COLUMNS = ["id", "kind", "entity", "field", "matched"]
BY = (None, "topic", "year")
_ENTRY_KEYS = ("name", "aliases", "acronyms", "exclude")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")
_KIND_COLORS = {"model": "#4c72b0", "dataset": "#dd8452", "method": "#55a868"}


class EntitiesError(ValueError):
    """An entity file that cannot be used: names the file, the entry and the problem."""


@dataclass(frozen=True)
class Entity:
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """The entity's topic slug in :attr:`Entities.taxonomy`: kind and name, ``model-gpt-3``."""
        ascii_slug = _NOT_SLUG.sub("-", self.name.lower()).strip("-")
        # a name without ASCII letters or digits: a short hash keeps slugs apart
        return f"{self.kind}-{ascii_slug or hashlib.sha1(self.name.encode()).hexdigest()[:8]}"

    @property
    def spellings(self) -> tuple[str, ...]:
        """Spellings matched regardless of case: the name (unless an acronym), then the aliases."""
        return tuple(dict.fromkeys(([] if self.name in self.acronyms else [self.name]) + list(self.aliases)))


@dataclass(frozen=True)
class Entities:
    """A validated entity dictionary; :func:`load_entities` makes one."""

    entities: tuple[Entity, ...]
    source: str = "<memory>"

    def __len__(self) -> int:
        return len(self.entities)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        """The entities as a taxonomy, one topic per entity, so the tagger's matcher finds them."""
        topics = [
            {
                "slug": e.slug,
                "label": e.name,
                "scope": f"{e.kind}: {e.name}",
                "terms": list(e.spellings),
                "acronyms": list(e.acronyms),
                "exclude": list(e.exclude),
            }
            for e in self.entities
        ]
        return parse_taxonomy({"topics": topics}, source=self.source)

    def to_frame(self) -> pd.DataFrame:
        """The dictionary as a table: kind, entity, and its spellings joined by ``; ``."""
        return pd.DataFrame(
            [
                {
                    "kind": e.kind,
                    "entity": e.name,
                    "aliases": "; ".join(e.aliases),
                    "acronyms": "; ".join(e.acronyms),
                    "exclude": "; ".join(e.exclude),
                }
                for e in self.entities
            ],
            columns=["kind", "entity", "aliases", "acronyms", "exclude"],
        )


def entities_path() -> Path:
    return data_dir() / "entities.yaml"


def load_entities(path: str | Path | None = None) -> Entities:
    """Read and validate an entity dictionary (``data/entities.yaml`` if ``path`` is None).

    A file that cannot be used raises :class:`EntitiesError` (a ``ValueError``)
    naming the file, the entry (``model 'GPT-3'``, or its number when it has no
    usable name) and what is wrong.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file with lists under ``model``, ``dataset`` and ``method``; each entry a ``name``
        and optionally ``aliases``, ``acronyms`` and ``exclude``.

    Returns
    -------
    Entities
        ``len()`` gives its size; ``to_frame()`` shows it as a table.

    Examples
    --------
    >>> entities = lr.load_entities()
    >>> entities.to_frame()["entity"].tolist()[:3]
    ['GPT-2', 'GPT-3', 'GPT-3.5']
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.yaml"
    >>> _ = path.write_text("model:\\n- {name: GPT-3}\\nmethod:\\n- {name: LoRA, acronyms: [LoRA]}\\n")
    >>> lr.load_entities(path).to_frame()[["kind", "entity"]].values.tolist()
    [['model', 'GPT-3'], ['method', 'LoRA']]
    """

    default = path is None
    path = entities_path() if default else Path(path)
    name = path.name if default else str(path)
    from litreview.tagging.taxonomy import read_yaml

    return parse_entities(read_yaml(path, name, "entity", EntitiesError), source=name)


def parse_entities(data: object, source: str = "<memory>") -> Entities:
    """Validate an entity dictionary given as plain data (``{"model": [...], ...}``)."""
    if not isinstance(data, dict) or not data:
        raise EntitiesError(f"{source}: expected a mapping with lists under {', '.join(KINDS)}")
    unknown = [k for k in data if k not in KINDS]
    if unknown:
        raise EntitiesError(f"{source}: unknown kind(s) {unknown}; the kinds are {', '.join(KINDS)}")
    entities: list[Entity] = []
    names: dict[tuple[str, str], str] = {}
    owners: dict[tuple[str, ...], str] = {}
    for kind in KINDS:
        entries = data.get(kind)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise EntitiesError(f"{source}: '{kind}' must be a list of entries, got {type(entries).__name__}")
        for n, raw in enumerate(entries, start=1):
            entity = _entity(kind, n, raw, source)
            where = f"{source}: {kind} '{entity.name}'"
            if (kind, entity.slug) in names:
                raise EntitiesError(f"{where}: same name as {kind} '{names[kind, entity.slug]}'")
            names[kind, entity.slug] = entity.name
            for spelling in (*entity.spellings, *entity.acronyms):
                key = tuple(_WORD.findall(spelling.lower()))
                if not key:
                    raise EntitiesError(f"{where}: spelling {spelling!r} has no letters or digits")
                owner = owners.setdefault(key, f"{kind} '{entity.name}'")
                if owner != f"{kind} '{entity.name}'":
                    raise EntitiesError(f"{where}: spelling {spelling!r} is already a spelling of {owner}")
            entities.append(entity)
    if not entities:
        raise EntitiesError(f"{source}: no entities; list some under {', '.join(KINDS)}")
    result = Entities(tuple(entities), source=source)
    try:
        result.taxonomy  # noqa: B018 - build it now, so a problem shows at load time
    except TaxonomyError as error:  # not expected after the checks above; say which file it came from
        raise EntitiesError(str(error)) from None
    return result


def _entity(kind: str, n: int, raw: object, source: str) -> Entity:
    where = f"{source}: {kind} entry {n}"
    if not isinstance(raw, dict):
        raise EntitiesError(f"{where}: expected a mapping such as {{name: GPT-3}}, got {raw!r}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise EntitiesError(f"{where}: needs a 'name' (a non-empty string), got {name!r}")
    name = " ".join(name.split())
    where = f"{source}: {kind} '{name}'"
    unknown = sorted(set(raw) - set(_ENTRY_KEYS))
    if unknown:
        raise EntitiesError(f"{where}: unknown key(s) {unknown}; allowed: {', '.join(_ENTRY_KEYS)}")
    lists = {}
    for key in ("aliases", "acronyms", "exclude"):
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise EntitiesError(f"{where}: '{key}' must be a list of non-empty strings, got {value!r}")
        lists[key] = tuple(dict.fromkeys(" ".join(v.split()) for v in value))
    return Entity(kind, name, **lists)


def _as_entities(entities: Entities | str | Path | None) -> Entities:
    if isinstance(entities, Entities):
        return entities
    if entities is None or isinstance(entities, (str, Path)):
        return load_entities(entities)
    raise TypeError(f"entities must be an Entities (lr.load_entities()), a path or None, got {type(entities).__name__}")


# -- mentions and counts ----------------------------------------------------------------------------------------------


def entity_mentions(
    papers: pd.DataFrame, entities: Entities | str | Path | None = None, fields: tuple[str, ...] = FIELDS
) -> pd.DataFrame:
    """Every entity each paper mentions: ``id``, ``kind``, ``entity``, ``field``, ``matched``.

    One row per paper, entity, field and spelling as written (``GPT-4`` and
    ``GPT4`` in one abstract are two rows; ``GPT-4`` twice is one).  Rows are
    in the papers' order, then by kind (model, dataset, method), the
    dictionary's order, ``fields`` order, and where the spelling first occurs.
    ``entities`` is an :class:`Entities`, a path to a YAML file, or None for
    ``data/entities.yaml``.

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`).
    entities : Entities, str or Path, optional
        The dictionary (:func:`load_entities`).
    fields : tuple of str
        The text fields searched.

    Returns
    -------
    DataFrame
        Columns ``id``, ``kind``, ``entity``, ``field``, ``matched``.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b"], "title": ["LoRA for GPT-3", "Instruction tuning of GPT-3 on MMLU"],
    ...                        "abstract": [None, None], "notes": [None, None]})
    >>> lr.entity_mentions(papers)[["id", "entity", "matched"]].values.tolist()
    [['a', 'GPT-3', 'GPT-3'], ['a', 'LoRA', 'LoRA'], ['b', 'GPT-3', 'GPT-3'], ['b', 'MMLU', 'MMLU'],
     ['b', 'instruction tuning', 'Instruction tuning']]
    """
    entities = _as_entities(entities)
    fields = _check_fields(fields)
    found = evidence(papers, entities.taxonomy, fields, tagger="rules")  # a dictionary: every match counts
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
    slugs = [e.slug for e in entities.entities]
    entity_rank = pd.Index(slugs).get_indexer(found["topic"])
    paper_rank = pd.Index(papers["id"].drop_duplicates()).get_indexer(found["id"])
    field_rank = pd.Index(list(fields)).get_indexer(found["field"])
    order = np.lexsort((found["start"].to_numpy(), field_rank, entity_rank, paper_rank))
    table = pd.DataFrame(
        {
            "id": found["id"].to_numpy(dtype=object)[order],
            "kind": np.array([e.kind for e in entities.entities], dtype=object)[entity_rank[order]],
            "entity": np.array([e.name for e in entities.entities], dtype=object)[entity_rank[order]],
            "field": found["field"].to_numpy(dtype=object)[order],
            "matched": found["matched"].to_numpy(dtype=object)[order],
        }
    )
    return table.drop_duplicates().reset_index(drop=True)


def _check_fields(fields) -> tuple[str, ...]:
    if isinstance(fields, str) or not all(isinstance(f, str) for f in fields) or not fields:
        raise ValueError(f"fields must be a tuple of text columns such as {FIELDS}, got {fields!r}")
    return tuple(dict.fromkeys(fields))


def entity_counts(
    papers: pd.DataFrame,
    entities: Entities | str | Path | None = None,
    by: str | None = None,
    *,
    kind: str | None = None,
    fields: tuple[str, ...] = FIELDS,
    mentions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Papers mentioning each entity, overall, per topic or per year.

    ``by=None``: ``kind``, ``entity``, ``papers``, ``share`` (of all papers),
    most papers first, then by kind (model, dataset, method) and name.

    ``by="topic"``: ``topic``, ``kind``, ``entity``, ``papers``, ``share`` (of
    the topic's papers); needs the ``topics`` column of :func:`litreview.tag`.
    Topics alphabetical, then most papers first; pairs with no paper are left out.

    ``by="year"``: ``kind``, ``entity``, ``year``, ``papers``, ``share`` (of
    that year's dated papers); every year from the first to the last dated paper
    appears for every entity mentioned (0 where none), papers without a year
    are left out.

    Entities no paper mentions are left out.  ``kind`` keeps one kind;
    ``mentions`` (the :func:`entity_mentions` table of these papers) saves
    matching the text again.

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`; tagged for ``by="topic"``).
    entities : Entities, str or Path, optional
        The dictionary (:func:`load_entities`).
    by : {None, "topic", "year"}
        The breakdown, as above.
    kind : {"model", "dataset", "method"}, optional
        Keep one kind.
    fields : tuple of str
        The text fields searched.
    mentions : DataFrame, optional
        The :func:`entity_mentions` of ``papers``.

    Returns
    -------
    DataFrame
        The columns above.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b"], "title": ["LoRA for GPT-3", "Instruction tuning of GPT-3 on MMLU"],
    ...                        "abstract": [None, None], "notes": [None, None]})
    >>> lr.entity_counts(papers).values.tolist()
    [['model', 'GPT-3', 2, 1.0], ['dataset', 'MMLU', 1, 0.5], ['method', 'instruction tuning', 1, 0.5],
     ['method', 'LoRA', 1, 0.5]]
    >>> lr.entity_counts(tagged, by="topic", kind="model").head(2).values.tolist()
    [['agents', 'model', 'GPT-3', 2, 0.333], ['agents', 'model', 'GPT-4', 2, 0.333]]
    """
    if by not in BY:
        raise ValueError(f"by must be None, 'topic' or 'year', got {by!r}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, got {kind!r}")
    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"expected a papers DataFrame, got {type(papers).__name__}")
    needed = {"topic": "topics", "year": "year"}.get(by)
    if needed and needed not in papers.columns:
        hint = "a tagged table: pass lr.tag(papers)" if by == "topic" else "a papers table from lr.load()"
        raise ValueError(f"by={by!r} needs the {needed!r} column; pass {hint}")
    if mentions is None:
        mentions = entity_mentions(papers, entities, fields)
    else:
        missing = [c for c in MENTION_COLUMNS if c not in mentions.columns]
        if missing:
            raise ValueError(f"mentions lacks column(s) {missing}; pass the table lr.entity_mentions(papers) returns")
    if kind is not None:
        mentions = mentions[mentions["kind"] == kind]
    pairs = mentions[mentions["id"].isin(papers["id"])].drop_duplicates(["id", "kind", "entity"])[
        ["id", "kind", "entity"]
    ]
    if by is None:
        return _overall(pairs, papers["id"].nunique())
    if by == "topic":
        return _per_topic(pairs, papers)
    return _per_year(pairs, papers)


def _overall(pairs: pd.DataFrame, n_papers: int) -> pd.DataFrame:
    counts = pairs.groupby(["kind", "entity"], sort=False).size().rename("papers").reset_index()
    counts["share"] = (counts["papers"] / max(n_papers, 1)).round(3)
    return _sorted(counts, ["papers", "kind", "entity"], [False, True, True])[["kind", "entity", "papers", "share"]]


def _per_topic(pairs: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame:
    topics = papers[["id", "topics"]].drop_duplicates("id").explode("topics").dropna(subset=["topics"])
    topics = topics.rename(columns={"topics": "topic"})
    columns = ["topic", "kind", "entity", "papers", "share"]
    if topics.empty or pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    size = topics.groupby("topic").size()
    long = pairs.merge(topics, on="id")
    counts = long.groupby(["topic", "kind", "entity"], sort=False).size().rename("papers").reset_index()
    counts["share"] = (counts["papers"] / counts["topic"].map(size)).round(3)
    return _sorted(counts, ["topic", "papers", "kind", "entity"], [True, False, True, True])[columns]


def _per_year(pairs: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame:
    columns = ["kind", "entity", "year", "papers", "share"]
    dated = papers[["id", "year"]].drop_duplicates("id")
    dated = dated[dated["year"].notna()]
    long = pairs.merge(dated, on="id")
    if long.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    years = range(int(dated["year"].min()), int(dated["year"].max()) + 1)
    named = long[["kind", "entity"]].drop_duplicates()
    grid = pd.MultiIndex.from_tuples(
        [(k, e, y) for k, e in named.itertuples(index=False) for y in years], names=["kind", "entity", "year"]
    )
    counts = long.groupby(["kind", "entity", "year"]).size().reindex(grid, fill_value=0).rename("papers")
    counts = counts.reset_index()
    per_year = dated.groupby("year").size().reindex(years, fill_value=0)
    counts["year"] = counts["year"].astype(int)
    counts["share"] = (counts["papers"] / counts["year"].map(per_year).replace(0, np.nan)).fillna(0.0).round(3)
    return _sorted(counts, ["kind", "entity", "year"], [True, True, True])[columns]


def _sorted(table: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    """Sorted with kinds in :data:`KINDS` order and names case-insensitively (then as written)."""

    def key(column: pd.Series) -> pd.Series:
        if column.name == "kind":
            return column.map({k: i for i, k in enumerate(KINDS)})
        if column.name in ("entity", "topic"):
            return column.str.casefold() + "\0" + column
        return column

    table = table.copy()
    table["papers"] = table["papers"].astype("int64")
    return table.sort_values(by, ascending=ascending, key=key, kind="stable").reset_index(drop=True)


# -- plots ------------------------------------------------------------------------------------------------------------


def plot_entity_counts(counts: pd.DataFrame, n: int | None = None, title: str | None = None, *, ax=None):
    """A figure of :func:`entity_counts`, whichever ``by`` made it.

    ``by=None``: horizontal bars of the ``n`` (default 20) most mentioned
    entities, coloured by kind.  ``by="year"``: one line per entity for the
    ``n`` (default 6) entities in most papers.  ``by="topic"``: a heatmap of
    papers, one column per topic and one row for each of the ``n`` (default
    15) entities in most papers; counts written in the cells.

    Parameters
    ----------
    counts : DataFrame
        The table :func:`entity_counts` returns.
    n : int, optional
        How many entities to draw, 1 or more.
    title : str, optional
        The Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> counts = pd.DataFrame({"kind": ["model", "method"], "entity": ["GPT-3", "LoRA"], "papers": [3, 2]})
    >>> ax = lr.plot_entity_counts(counts)
    >>> [t.get_text() for t in ax.get_yticklabels()], [int(b.get_width()) for b in ax.patches]
    (['LoRA', 'GPT-3'], [2, 3])
    """
    check_frame(counts, "counts", ("kind", "entity", "papers"), "pass the table lr.entity_counts(papers) returns")
    check_int(n, "n", 1, none=True)
    if "year" in counts.columns:
        return _plot_years(counts, n or 6, title or "Papers mentioning each entity, per year", ax)
    if "topic" in counts.columns:
        return _plot_topics(counts, n or 15, title or "Papers mentioning each entity, per topic", ax)
    return _plot_bars(counts, n or 20, title or "Papers mentioning each entity", ax)


def _top(counts: pd.DataFrame, n: int) -> list[str]:
    """The ``n`` entities in most papers over the table, ties by kind order then name."""
    totals = counts.groupby(["kind", "entity"], sort=False)["papers"].sum().reset_index()
    return _sorted(totals, ["papers", "kind", "entity"], [False, True, True])["entity"].head(n).tolist()


def _plot_bars(counts: pd.DataFrame, n: int, title: str, ax):
    shown = counts.head(n).iloc[::-1]
    created = ax is None
    ax = axes_for(ax, (6, min(0.28 * len(shown) + 1.3, 8)))
    ax.barh(shown["entity"], shown["papers"], color=[_KIND_COLORS.get(k, "#8c8c8c") for k in shown["kind"]])
    kinds = [k for k in KINDS if (shown["kind"] == k).any()]
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("papers (count)")
    ax.set_title(title)
    if kinds:
        handles = [Patch(color=_KIND_COLORS[k], label=k) for k in kinds]
        ax.legend(handles=handles, fontsize="small", frameon=False, loc="lower right")
    return finish(ax, created)


def _plot_years(counts: pd.DataFrame, n: int, title: str, ax):
    created = ax is None
    ax = axes_for(ax, (6, 3.5))
    for name in _top(counts, n):
        rows = counts[counts["entity"] == name]
        ax.plot(rows["year"].astype(int).to_numpy(), rows["papers"].to_numpy(), marker="o", label=name)
    ax.set_xlabel("year")
    ax.set_ylabel("papers (count)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    if len(counts):
        ax.legend(fontsize="small", frameon=False)
    return finish(ax, created)


def _plot_topics(counts: pd.DataFrame, n: int, title: str, ax):
    names = _top(counts, n)
    topics = sorted(counts["topic"].unique())
    matrix = (
        counts[counts["entity"].isin(names)]
        .pivot_table(index="entity", columns="topic", values="papers", aggfunc="sum", fill_value=0)
        .reindex(index=names, columns=topics, fill_value=0)
    )
    created = ax is None
    ax = axes_for(ax, (max(6, 0.4 * len(topics) + 2.5), max(3.5, 0.3 * len(names) + 1.8)))
    values = matrix.to_numpy()
    ax.imshow(values if values.size else np.zeros((0, 0)), cmap="Blues", aspect="auto")
    ax.set_xticks(np.arange(len(topics)), topics, rotation=90, fontsize="small")
    ax.set_yticks(np.arange(len(names)), names, fontsize="small")
    top = values.max() if values.size else 0
    for i, j in zip(*np.nonzero(values)):
        color = "white" if values[i, j] > top / 2 else "black"
        ax.text(j, i, int(values[i, j]), ha="center", va="center", fontsize=7, color=color)
    ax.set_title(title)
    return finish(ax, created)
