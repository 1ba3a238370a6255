"""Topic taxonomies: read and validate the editable YAML file.

A taxonomy file looks like this (see ``data/taxonomy.yaml`` for the default)::

    topics:
      - slug: peft
        label: Parameter-efficient fine-tuning
        scope: Adapting a pretrained model by training few parameters.
        terms: [low-rank adaptation, LoRA, prefix tuning, adapter]
        acronyms: [PEFT]
        supporting: [frozen, trainable parameters]
        exclude: [adapter layer removal]

Rules, for each topic:

``terms``
    Words and phrases that alone show the topic: one match in the title or
    abstract tags the paper.  Matching ignores case, treats hyphens and spaces
    alike (``fine-tuning`` = ``fine tuning`` = ``finetuning``), accepts a plural
    ``s``/``es`` on the last word, and is whole-word (``cot`` never matches
    ``cotton``).
``acronyms``
    Like terms, but case-sensitive (``RAG`` is not ``rag``; ``READ`` not ``read``).
``supporting``
    Weaker cues (same matching as terms): at least ``min_supporting`` different
    ones (default 2) must match to tag the paper, or one must be in the title
    (a title states what a paper is about).
``exclude``
    Phrases inside which a term or cue does not count, e.g. ``reinforcement
    learning from human feedback`` for a topic that lists ``reinforcement
    learning``.

Matches in ``notes`` (a newsletter's commentary, not the paper's own words)
count as supporting cues only.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from litreview.data import taxonomy_path

_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
_TOPIC_KEYS = {"slug", "label", "scope", "terms", "acronyms", "supporting", "exclude", "min_supporting"}


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be used: names the file, topic and problem."""


@dataclass(frozen=True)
class Topic:
    slug: str
    label: str
    scope: str
    terms: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    supporting: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_supporting: int = 2


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    source: str = "<memory>"
    _by_slug: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_slug.update({t.slug: t for t in self.topics})

    @property
    def slugs(self) -> list[str]:
        return [t.slug for t in self.topics]

    def __getitem__(self, slug: str) -> Topic:
        try:
            return self._by_slug[slug]
        except KeyError:
            from litreview.validation import did_you_mean

            by_label = [t.slug for t in self.topics if isinstance(slug, str) and t.label.casefold() == slug.casefold()]
            hint = (f" ({slug!r} is the label of topic {by_label[0]!r}: topics are named by their slug)" if by_label
                    else did_you_mean([slug], self.slugs) if isinstance(slug, str) else "")
            raise KeyError(f"unknown topic {slug!r}{hint}; valid topics: {', '.join(self.slugs)}") from None

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def __len__(self) -> int:
        return len(self.topics)

    @property
    def fingerprint(self) -> str:
        """A short hash of the rules, to tell which taxonomy made a result."""
        canonical = json.dumps([t.__dict__ for t in self.topics], sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    def to_frame(self):
        """The topics as a table: slug, label, scope and rule counts."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "slug": t.slug,
                    "label": t.label,
                    "scope": t.scope,
                    "terms": len(t.terms) + len(t.acronyms),
                    "supporting": len(t.supporting),
                    "exclude": len(t.exclude),
                }
                for t in self.topics
            ]
        )


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy YAML file (the default one if ``path`` is None).

    Parameters
    ----------
    path : str or Path, optional
        A taxonomy YAML file (``topics:``, each with ``slug``, ``label``, ``scope`` and ``terms``,
        ``acronyms`` or ``supporting``); ``None`` for ``data/taxonomy.yaml``.

    Returns
    -------
    Taxonomy
        Raises :class:`TaxonomyError` (a ``ValueError``) naming the file, topic and problem when the
        file cannot be used.

    Examples
    --------
    >>> taxonomy = lr.load_taxonomy()
    >>> len(taxonomy), taxonomy.slugs[:3], taxonomy["peft"].label
    (16, ['peft', 'alignment', 'reasoning'], 'Parameter-efficient fine-tuning')
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.yaml"
    >>> _ = path.write_text("topics:\\n- {slug: lora, label: LoRA, scope: Low-rank adapters, terms: [LoRA]}\\n")
    >>> lr.load_taxonomy(path).slugs
    ['lora']
    """
    path = Path(path) if path is not None else taxonomy_path()
    name = path.name if path == taxonomy_path() else str(path)
    return parse_taxonomy(read_yaml(path, name, "taxonomy", TaxonomyError), source=name)


def read_yaml(path: Path, name: str, what: str, error: type[ValueError]) -> object:
    """A YAML file's data; a missing file or bad YAML raises ``error`` naming the file (and line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{name}: no such {what} file") from None
    try:
        # libyaml's loader when PyYAML has it: parsing the default taxonomy in pure Python
        # took longer than tagging a few thousand papers.  A bad file is read again by the
        # pure-Python loader, whose messages are clearer.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{name}{where}: not valid YAML: {problem}") from None


def parse_taxonomy(data: object, source: str = "<memory>") -> Taxonomy:
    """Validate a taxonomy given as plain data (``{"topics": [...]}``)."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list) or not data["topics"]:
        raise TaxonomyError(f"{source}: expected a mapping with a non-empty 'topics' list")
    topics: list[Topic] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["topics"], start=1):
        where = f"{source}: topic {n}"
        if not isinstance(raw, dict):
            raise TaxonomyError(f"{where}: expected a mapping, got {type(raw).__name__}")
        slug = raw.get("slug")
        if not isinstance(slug, str) or not _SLUG.match(slug):
            raise TaxonomyError(f"{where}: slug must be lower-case letters, digits and '-', got {slug!r}")
        where = f"{source}: topic '{slug}'"
        if slug in seen:
            raise TaxonomyError(f"{where}: slug used twice")
        seen.add(slug)
        unknown = set(raw) - _TOPIC_KEYS
        if unknown:
            raise TaxonomyError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(_TOPIC_KEYS)}")
        for key in ("label", "scope"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise TaxonomyError(f"{where}: '{key}' must be a non-empty string")
        lists = {}
        for key in ("terms", "acronyms", "supporting", "exclude"):
            value = raw.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise TaxonomyError(f"{where}: '{key}' must be a list of non-empty strings")
            lists[key] = tuple(v.strip() for v in value)
        if not (lists["terms"] or lists["acronyms"] or lists["supporting"]):
            raise TaxonomyError(f"{where}: needs at least one of terms, acronyms, supporting")
        min_supporting = raw.get("min_supporting", 2)
        if not isinstance(min_supporting, int) or min_supporting < 1:
            raise TaxonomyError(f"{where}: min_supporting must be a positive integer")
        topics.append(
            Topic(slug, raw["label"].strip(), " ".join(raw["scope"].split()), min_supporting=min_supporting, **lists)
        )
    return Taxonomy(tuple(topics), source=source)
