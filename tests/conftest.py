"""Shared fixtures. The tests use the same pkuseg model cache as the command line (``make run``):
``$REPORTIE_HOME`` if set, else the user cache directory, so the model is fetched at most once
per machine."""

from pathlib import Path

import pytest

from reportie.segmenter import model_home


@pytest.fixture(scope="session")
def reportie_home() -> Path:
    """The model cache used by the whole session (fetching the model on first use)."""
    return model_home()


ROOT = Path(__file__).resolve().parents[1]
SEED_PATHS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_reports(reportie_home) -> dict:
    """The five seed reports through ``reportie.extract``, once per session: {file stem: Report}."""
    import reportie

    return {path.stem: reportie.extract(path) for path in SEED_PATHS}


def copy_seed_annotations(work: Path) -> None:
    """``work/annotations`` (the seed labels and the lone authored sentences; whole authored pages
    need their texts in annotations/reports/, which this copy leaves out) and ``work/seeds``."""
    import json
    import shutil

    (work / "annotations").mkdir(parents=True)
    for name in ("quantities.jsonl", "GUIDELINES.md"):
        shutil.copy(ROOT / "annotations" / name, work / "annotations" / name)
    lines = (ROOT / "annotations" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if json.loads(line).get("source", "seed") in ("seed", "authored")
            and not json.loads(line)["doc"].startswith("authored-page-")]
    (work / "annotations" / "sentences.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    shutil.copytree(ROOT / "seeds", work / "seeds")


@pytest.fixture()
def seed_workspace(tmp_path: Path) -> Path:
    """A scratch folder holding a copy of the seed annotations and seeds (``copy_seed_annotations``)."""
    copy_seed_annotations(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def seed_trained_model(tmp_path_factory, reportie_home) -> Path:
    """One classifier trained (``reportie train``) on the seed and authored sentence labels, in a
    scratch folder: shared by the tests that need a model other than the shipped one."""
    from reportie.training import train

    work = tmp_path_factory.mktemp("seed-model")
    copy_seed_annotations(work)
    model = work / "model"
    train(annotations_dir=work / "annotations", model_dir=model, seeds_dir=work / "seeds", progress=False)
    return model
