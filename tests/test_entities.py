"""Entity mentions (models, datasets, methods): exact values on a small hand-made corpus and dictionary."""

import pandas as pd
import pytest
from matplotlib.axes import Axes

import litreview as lr
from litreview.schema import to_frame
from litreview.tagging.entities import (
    Entities,
    EntitiesError,
    entity_counts,
    entity_mentions,
    load_entities,
    parse_entities,
    plot_entity_counts,
)

DICTIONARY = """\
model:
  - {name: GPT-3, exclude: [GPT-3.5]}
  - {name: GPT-3.5}
  - {name: CLIP, acronyms: [CLIP]}
  - {name: T5}
dataset:
  - {name: The Pile, acronyms: [The Pile, the Pile]}
  - {name: GSM8K}
method:
  - {name: LoRA, acronyms: [LoRA], aliases: [low-rank adaptation]}
  - {name: chain-of-thought, acronyms: [CoT]}
"""


@pytest.fixture
def entities(tmp_path):
    path = tmp_path / "entities.yaml"
    path.write_text(DICTIONARY)
    return load_entities(path)


@pytest.fixture
def tagged():
    rows = [
        ("a", 2021, ["peft"], "LoRA for GPT-3", "Low-rank adaptations of gpt3 and gpt3 trained on the Pile.", None),
        ("b", 2021, ["peft", "reasoning"], "Chain of thought with GPT-3.5",
         "We clip gradients; CoT prompts on GSM8K (cot in lower case is not the acronym).", None),
        ("c", 2023, ["reasoning"], "Flan-T5 reasons", "CLIP and T5 on GSM8K.", "Compared with GPT-3."),
        ("d", None, [], "Essay", "A pile of papers about LORA radios.", None),
        ("e", 2023, [], "Nothing here", None, None),
    ]  # fmt: skip
    frame = to_frame(
        {"id": i, "year": y, "title": t, "abstract": a, "notes": n, "source": f"x.txt:{k}"}
        for k, (i, y, _, t, a, n) in enumerate(rows, start=1)
    )
    frame["topics"] = [r[2] for r in rows]
    return frame


def test_mentions_follow_the_taxonomy_matching_rules(tagged, entities):
    mentions = entity_mentions(tagged, entities)
    assert mentions.columns.tolist() == ["id", "kind", "entity", "field", "matched"]
    assert mentions.values.tolist() == [
        ["a", "model", "GPT-3", "title", "GPT-3"],
        ["a", "model", "GPT-3", "abstract", "gpt3"],  # joined form, once although written twice
        ["a", "dataset", "The Pile", "abstract", "the Pile"],
        ["a", "method", "LoRA", "title", "LoRA"],
        ["a", "method", "LoRA", "abstract", "Low-rank adaptations"],  # plural of an alias
        ["b", "model", "GPT-3.5", "title", "GPT-3.5"],  # and not GPT-3: excluded inside GPT-3.5
        ["b", "dataset", "GSM8K", "abstract", "GSM8K"],
        ["b", "method", "chain-of-thought", "title", "Chain of thought"],
        ["b", "method", "chain-of-thought", "abstract", "CoT"],  # "cot" and "clip" are not the acronyms
        ["c", "model", "GPT-3", "notes", "GPT-3"],
        ["c", "model", "CLIP", "abstract", "CLIP"],
        ["c", "model", "T5", "title", "T5"],  # inside Flan-T5
        ["c", "model", "T5", "abstract", "T5"],
        ["c", "dataset", "GSM8K", "abstract", "GSM8K"],
    ]
    own_words = entity_mentions(tagged, entities, fields=("title", "abstract"))
    assert len(own_words) == 13 and "notes" not in set(own_words["field"])


def test_mentions_accept_a_path_and_give_an_empty_table(tagged, tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("dataset:\n  - {name: ImageNet}\n")
    empty = entity_mentions(tagged, str(path))
    assert empty.empty and empty.columns.tolist() == ["id", "kind", "entity", "field", "matched"]
    assert entity_counts(tagged, path).empty
    with pytest.raises(ValueError, match=r"fields must be a tuple of text columns"):
        entity_mentions(tagged, path, fields="title")
    with pytest.raises(TypeError, match=r"entities must be an Entities"):
        entity_mentions(tagged, {"model": []})


def test_counts_overall_and_of_one_kind(tagged, entities):
    counts = entity_counts(tagged, entities)
    assert counts.columns.tolist() == ["kind", "entity", "papers", "share"]
    assert counts.values.tolist() == [
        ["model", "GPT-3", 2, 0.4],
        ["dataset", "GSM8K", 2, 0.4],
        ["model", "CLIP", 1, 0.2],
        ["model", "GPT-3.5", 1, 0.2],
        ["model", "T5", 1, 0.2],
        ["dataset", "The Pile", 1, 0.2],
        ["method", "chain-of-thought", 1, 0.2],
        ["method", "LoRA", 1, 0.2],
    ]
    assert entity_counts(tagged, entities, kind="model")["entity"].tolist() == ["GPT-3", "CLIP", "GPT-3.5", "T5"]
    own_words = entity_counts(tagged, entities, fields=("title", "abstract")).set_index("entity")
    assert own_words.loc["GPT-3", "papers"] == 1  # paper c names it only in the newsletter's notes
    mentions = entity_mentions(tagged, entities)
    pd.testing.assert_frame_equal(entity_counts(tagged, entities, mentions=mentions), counts)
    # counts are of the papers passed, even when the mentions cover more
    assert entity_counts(tagged.iloc[:1], entities, mentions=mentions)["papers"].tolist() == [1, 1, 1]


def test_counts_per_topic(tagged, entities):
    counts = entity_counts(tagged, entities, by="topic")
    assert counts.columns.tolist() == ["topic", "kind", "entity", "papers", "share"]
    assert counts.values.tolist() == [
        ["peft", "model", "GPT-3", 1, 0.5],
        ["peft", "model", "GPT-3.5", 1, 0.5],
        ["peft", "dataset", "GSM8K", 1, 0.5],
        ["peft", "dataset", "The Pile", 1, 0.5],
        ["peft", "method", "chain-of-thought", 1, 0.5],
        ["peft", "method", "LoRA", 1, 0.5],
        ["reasoning", "dataset", "GSM8K", 2, 1.0],
        ["reasoning", "model", "CLIP", 1, 0.5],
        ["reasoning", "model", "GPT-3", 1, 0.5],
        ["reasoning", "model", "GPT-3.5", 1, 0.5],
        ["reasoning", "model", "T5", 1, 0.5],
        ["reasoning", "method", "chain-of-thought", 1, 0.5],
    ]


def test_counts_per_year_fill_empty_years(tagged, entities):
    counts = entity_counts(tagged, entities, by="year", kind="dataset")
    assert counts.columns.tolist() == ["kind", "entity", "year", "papers", "share"]
    assert counts.values.tolist() == [
        ["dataset", "GSM8K", 2021, 1, 0.5],
        ["dataset", "GSM8K", 2022, 0, 0.0],
        ["dataset", "GSM8K", 2023, 1, 0.5],
        ["dataset", "The Pile", 2021, 1, 0.5],
        ["dataset", "The Pile", 2022, 0, 0.0],
        ["dataset", "The Pile", 2023, 0, 0.0],
    ]
    assert len(entity_counts(tagged, entities, by="year")) == 8 * 3


def test_counts_reject_bad_arguments(tagged, entities):
    with pytest.raises(ValueError, match=r"by must be None, 'topic' or 'year', got 'venue'"):
        entity_counts(tagged, entities, by="venue")
    with pytest.raises(ValueError, match=r"kind must be one of model, dataset, method or None, got 'models'"):
        entity_counts(tagged, entities, kind="models")
    with pytest.raises(ValueError, match=r"by='topic' needs the 'topics' column; pass a tagged table: pass lr.tag"):
        entity_counts(tagged.drop(columns="topics"), entities, by="topic")
    with pytest.raises(ValueError, match=r"mentions lacks column\(s\) \['kind'\]"):
        entity_counts(tagged, entities, mentions=pd.DataFrame(columns=["id", "entity", "field", "matched"]))


@pytest.mark.parametrize(
    "text, message",
    [
        ("model:\n  - {name: GPT-3\n  - {name: T5}\n", r"e.yaml:3: not valid YAML: expected ',' or '\}', but got '\{'"),
        ("- GPT-3\n", r"e.yaml: expected a mapping with lists under model, dataset, method"),
        ("models:\n  - {name: GPT-3}\n",
         r"e.yaml: unknown kind\(s\) \['models'\]; the kinds are model, dataset, method"),
        ("model: GPT-3\n", r"e.yaml: 'model' must be a list of entries, got str"),
        ("model:\n  - {name: GPT-3}\n  - GPT-4\n",
         r"e.yaml: model entry 2: expected a mapping such as \{name: GPT-3\}, got 'GPT-4'"),
        ("dataset:\n  - {aliases: [C4]}\n",
         r"e.yaml: dataset entry 1: needs a 'name' \(a non-empty string\), got None"),
        ("model:\n  - {name: GPT-3, alias: [GPT3]}\n",
         r"e.yaml: model 'GPT-3': unknown key\(s\) \['alias'\]; allowed: name, aliases, acronyms, exclude"),
        ("model:\n  - {name: GPT-3, aliases: GPT3}\n",
         r"e.yaml: model 'GPT-3': 'aliases' must be a list of non-empty strings, got 'GPT3'"),
        ("model:\n  - {name: GPT-3}\n  - {name: GPT 3}\n", r"e.yaml: model 'GPT 3': same name as model 'GPT-3'"),
        ("model:\n  - {name: GPT-4}\nmethod:\n  - {name: GPT4 prompting, aliases: [gpt-4]}\n",
         r"e.yaml: method 'GPT4 prompting': spelling 'gpt-4' is already a spelling of model 'GPT-4'"),
        ("method:\n  - {name: '---'}\n", r"e.yaml: method '---': spelling '---' has no letters or digits"),
        ("model: []\n", r"e.yaml: no entities; list some under model, dataset, method"),
    ],
)  # fmt: skip
def test_bad_files_name_the_file_and_the_entry(tmp_path, text, message):
    path = tmp_path / "e.yaml"
    path.write_text(text)
    with pytest.raises(EntitiesError, match=message):
        load_entities(path)


def test_missing_file_and_parse_from_data(tmp_path):
    with pytest.raises(EntitiesError, match=r"nope.yaml: no such entity file"):
        load_entities(tmp_path / "nope.yaml")
    parsed = parse_entities({"method": [{"name": "RLHF", "aliases": ["reinforcement learning from human feedback"]}]})
    assert isinstance(parsed, Entities) and len(parsed) == 1
    assert parsed.taxonomy.slugs == ["method-rlhf"]
    assert parsed.taxonomy["method-rlhf"].terms == ("RLHF", "reinforcement learning from human feedback")
    assert issubclass(EntitiesError, ValueError)


def test_default_dictionary_is_valid_and_found_in_the_default_corpus():
    entities = load_entities()
    table = entities.to_frame()
    assert len(table) == 58
    assert table["kind"].value_counts().to_dict() == {"model": 22, "method": 20, "dataset": 16}
    assert entities.taxonomy["model-clip"].acronyms == ("CLIP",) and entities.taxonomy["model-clip"].terms == ()
    papers = lr.load()
    mentions = entity_mentions(papers)
    row = mentions[(mentions["id"] == "arxiv:2303.12712") & (mentions["entity"] == "GPT-4")]
    assert row["matched"].tolist() == ["GPT-4", "GPT4"]
    counts = entity_counts(papers, mentions=mentions)
    assert len(counts) == 44
    assert counts.head(4).values.tolist() == [
        ["model", "GPT-3", 10, 0.135],
        ["model", "GPT-4", 5, 0.068],
        ["method", "chain-of-thought", 5, 0.068],
        ["model", "ChatGPT", 4, 0.054],
    ]


def test_plots_return_axes(tagged, entities):
    counts = entity_counts(tagged, entities)
    ax = plot_entity_counts(counts, n=5)
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 5
    assert [t.get_text() for t in ax.get_yticklabels()] == ["T5", "GPT-3.5", "CLIP", "GSM8K", "GPT-3"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["model", "dataset"]

    years = plot_entity_counts(entity_counts(tagged, entities, by="year"), n=3)
    assert [line.get_label() for line in years.lines] == ["GPT-3", "GSM8K", "CLIP"]

    topics = plot_entity_counts(entity_counts(tagged, entities, by="topic"), n=4)
    ax = topics
    assert len(ax.images) == 1
    assert [t.get_text() for t in ax.get_yticklabels()] == ["GSM8K", "GPT-3", "GPT-3.5", "chain-of-thought"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["peft", "reasoning"]
    assert sorted(t.get_text() for t in ax.texts) == ["1"] * 7 + ["2"]
    with pytest.raises(ValueError, match=r"counts lacks column\(s\) \['kind'\]"):
        plot_entity_counts(counts.drop(columns="kind"))
    with pytest.raises(ValueError, match=r"^n must be 1 or more, got 0$"):
        plot_entity_counts(counts, n=0)
