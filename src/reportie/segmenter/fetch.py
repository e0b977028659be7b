"""Fetching pkuseg's ``default`` model: ``pip download`` of the pinned sdist (hash-checked by pip
and again here), the two model files extracted, converted (restricted unpickler) and written with
a manifest into the cache (``full/``, ``lean/``, ``words/``)."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from .base import (
    _FETCH_HINT, _LEAN_SUMMARY, _MEMBER_PREFIX, _SDIST_MEMBERS, DEFAULT_QUANTUM, DEFAULT_THRESHOLD, ENV_HOME,
    ENV_MODEL, LICENSE_NOTE, MANIFEST_FORMAT, PKUSEG_SDIST, PKUSEG_SDIST_SHA256, PKUSEG_VERSION, ModelError,
    ProgressFn, _sha256, _sha256_file, _Writer,
)
from .cache import _is_fetched, model_home, model_root
from .compact import _keys_by_index, _lean_payload
from .install import _install, _refresh_lean
from .pkuseg import _forget
from .unpickle import PICKLE_ERRORS, _load_data_pickle
from .verify import _load_weights_npz, _validate_features
from .words import _convert_default_words


def _pip_download(dest: Path, progress: ProgressFn) -> Path:
    missing = [m for m in ("setuptools", "numpy") if importlib.util.find_spec(m) is None]
    if missing:
        raise ModelError(
            f"fetching the pkuseg model runs pip with {' and '.join(missing)} missing from this Python; "
            f"run `{Path(sys.executable).name} -m pip install setuptools numpy` and retry"
        )
    req = dest / "requirements.txt"
    # pip checks the hash before it unpacks or runs anything from the sdist
    req.write_text(f"pkuseg=={PKUSEG_VERSION} --hash=sha256:{PKUSEG_SDIST_SHA256}\n", encoding="utf-8")
    cmd = [
        sys.executable, "-m", "pip", "download",
        "--no-deps", "--no-build-isolation", "--no-binary", ":all:",
        "--disable-pip-version-check", "--no-input",
        "-d", str(dest / "dl"), "-r", str(req),
    ]  # fmt: skip
    progress(f"downloading pkuseg=={PKUSEG_VERSION} (48.8 MB) from PyPI with pip …")
    env = dict(os.environ, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ModelError("pip download of pkuseg timed out after 30 min; check your network and retry") from None
    if proc.returncode != 0:
        raise _pip_error(proc.returncode, proc.stdout + "\n" + proc.stderr)
    sdist = dest / "dl" / PKUSEG_SDIST
    if not sdist.is_file():
        raise ModelError(f"pip reported success but {PKUSEG_SDIST} is not in its download folder; retry with --force")
    return sdist


def _pip_error(rc: int, output: str) -> ModelError:
    low = output.lower()
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.lower().startswith("error")]
    last = (errors or lines or ["(no output)"])[-1][:200]
    if "do not match the hashes" in low:
        return ModelError(
            f"{PKUSEG_SDIST} from the package index failed its sha256 check (expected {PKUSEG_SDIST_SHA256[:12]}…); "
            "the index or a proxy serves a different file: do not use it, check PIP_INDEX_URL"
        )
    if "no module named 'numpy'" in low or "no module named 'setuptools'" in low or "no module named 'distutils'" in low:
        return ModelError(
            f"pip could not read pkuseg's setup.py ({last}); run `{Path(sys.executable).name} -m pip install setuptools numpy` and retry"
        )
    if "no module named pip" in low:
        return ModelError(f"pip is not installed in {sys.executable}; install pip (python -m ensurepip) and retry")
    network = (
        "connection", "network is unreachable", "temporary failure in name resolution", "name or service not known",
        "max retries exceeded", "timed out", "no matching distribution", "could not find a version", "proxyerror",
        "ssl", "http error",
    )  # fmt: skip
    if any(s in low for s in network):
        return ModelError(
            f"could not download pkuseg=={PKUSEG_VERSION} from PyPI (no network or index unreachable: {last}); "
            f"check your connection / PIP_INDEX_URL, or set {ENV_MODEL} to a model folder"
        )
    return ModelError(f"pip download of pkuseg=={PKUSEG_VERSION} failed (exit {rc}): {last}")


def _verify_sdist(path: Path, expected: str = PKUSEG_SDIST_SHA256) -> None:
    got = _sha256_file(path)
    if got != expected:
        raise ModelError(
            f"{path.name} failed its sha256 check (got {got[:12]}…, expected {expected[:12]}…); "
            "do not use it: check your package index (PIP_INDEX_URL) and retry with --force"
        )


def _extract_members(sdist: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    try:
        with tarfile.open(sdist, "r:gz") as tar:
            for name in _SDIST_MEMBERS:
                member = tar.getmember(_MEMBER_PREFIX + name)
                if not member.isfile():
                    raise ModelError(f"{PKUSEG_SDIST}: {name} is not a regular file; " + _FETCH_HINT)
                fh = tar.extractfile(member)
                assert fh is not None
                out[name] = fh.read()
    except (KeyError, tarfile.TarError, OSError) as exc:
        raise ModelError(f"{PKUSEG_SDIST} does not hold the model files ({exc}); " + _FETCH_HINT) from None
    return out


def fetch_model(*, force: bool = False, progress: ProgressFn | None = None) -> Path:
    """Fetch pkuseg's ``default`` model from PyPI and convert it into the cache.

    Runs ``pip download`` of the pinned ``pkuseg==0.0.25`` sdist (hash-checked
    by pip and again here), extracts only the two model files, converts them
    (restricted unpickler), writes ``full/``, ``lean/`` and ``words/`` plus a
    manifest atomically into :func:`model_root`, and returns that folder. An
    existing complete cache is returned as is unless ``force``. This is the
    explicit fetch: ``REPORTIE_OFFLINE`` only stops :func:`model_dir`'s
    automatic one. Takes ~20-40 s and ~1 GB of memory, once.
    """
    say: ProgressFn = progress or (lambda _msg: None)
    root = model_root()
    if _is_fetched(root) and not force:
        _refresh_lean(root, say)
        say(f"the model is already in {root}")
        return root
    home = model_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the cache folder {home} ({exc}); set {ENV_HOME} to a writable folder") from None
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=home) as tmp_s:
        tmp = Path(tmp_s)
        sdist = _pip_download(tmp, say)
        say("checking the sha256 of the download …")
        _verify_sdist(sdist)
        say("extracting features.pkl and weights.npz …")
        members = _extract_members(sdist)
        sdist.unlink()
        source = {
            "package": "pkuseg",
            "version": PKUSEG_VERSION,
            "sdist": PKUSEG_SDIST,
            "sdist_sha256": PKUSEG_SDIST_SHA256,
            "members": {n: {"sha256": _sha256(b), "bytes": len(b)} for n, b in members.items()},
        }
        say(f"converting features.pkl ({len(members['features.pkl']) / 1e6:.0f} MB, plain data only) …")
        try:
            feats = _load_data_pickle(members.pop("features.pkl"))
        except PICKLE_ERRORS as exc:
            raise ModelError(f"features.pkl is not a plain-data pickle ({exc}); " + _FETCH_HINT) from None
        _validate_features(feats)
        weights_npz = members.pop("weights.npz")
        w, n_tag, n_feature = _load_weights_npz(weights_npz)
        if n_feature != len(feats["feature_to_idx"]) or n_tag != len(feats["tag_to_idx"]):
            raise ModelError("features.pkl and weights.npz disagree on their sizes; " + _FETCH_HINT)

        build = tmp / "root"
        writer = _Writer(build)
        say(f"writing the full model ({n_feature:,} features) …")
        import srsly

        writer.write(
            "full/features.msgpack",
            srsly.msgpack_dumps(
                {
                    "unigram": sorted(feats["unigram"]),
                    "bigram": sorted(feats["bigram"]),
                    "feature_to_idx": feats["feature_to_idx"],
                    "tag_to_idx": feats["tag_to_idx"],
                }
            ),
        )
        writer.write("full/weights.npz", weights_npz)
        del weights_npz
        payload = _lean_payload(
            _keys_by_index(feats["feature_to_idx"]),
            feats["unigram"],
            feats["bigram"],
            feats["tag_to_idx"],
            w,
            n_tag,
            DEFAULT_THRESHOLD,
            DEFAULT_QUANTUM,
            {"package": "pkuseg", "version": PKUSEG_VERSION, "sdist_sha256": PKUSEG_SDIST_SHA256},
        )
        lean_meta = json.loads(payload["meta.json"])
        say(
            f"compacted: kept {lean_meta['n_keys']:,} of {n_feature:,} features sharing {lean_meta['n_rows']:,} "
            f"weight rows (threshold {DEFAULT_THRESHOLD}, quantum {DEFAULT_QUANTUM}) …"
        )
        for rel, data in payload.items():
            writer.write(f"lean/{rel}", data)
        del feats, payload, w
        words, words_src = _convert_default_words(say)
        for rel, data in words.items():
            writer.write(f"words/{rel}", data)
        manifest = {
            "format": MANIFEST_FORMAT,
            "license": LICENSE_NOTE,
            "source": source,
            "default_words": words_src,
            "lean": {k: lean_meta[k] for k in _LEAN_SUMMARY},
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "files": writer.files,
        }
        (build / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        _install(build, root, force, tmp)
    _forget(root)
    say(f"done in {time.perf_counter() - t0:.0f} s: {root}")
    return root
