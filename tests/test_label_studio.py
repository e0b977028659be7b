"""The annotators' loop against a real Label Studio server (``label-studio==1.23.2``, installed
by ``make label-studio`` into ``.venv/label-studio``; ``make test`` does it first).

A NEW report (``tests/data/authored-loop-district.txt``: text written for this test, in the
genre, not a real report) is exported with the model's predictions, imported into a Label
Studio project created with reportie's config, answered through the HTTP API by two users
(agreeing on a correction, disagreeing on another sentence, one submitting nothing), exported
as JSON and JSON-MIN, then imported, linted, resolved and trained on (into a temporary model
dir); the retrained model's prediction must change where the label changed.

The server listens on 127.0.0.1 only, with its version check and analytics off, in a temporary
data dir; it is stopped (its whole process group) whatever happens.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import tempfile
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from reportie.cli import main

pytestmark = pytest.mark.labelstudio

ROOT = Path(__file__).resolve().parents[1]
NEW_REPORT = ROOT / "tests" / "data" / "authored-loop-district.txt"
LS_VERSION = "1.23.2"
START_TIMEOUT = 600  # first start runs the database migrations: about 2 minutes on 2 cores
HTTP_TIMEOUT = 120
USERS = {"alice@example.com": "alice-token-0001", "bob@example.com": "bob-token-00002"}

# Run with Label Studio's own Python once the server is up: two users with API tokens.
_SETUP_USERS = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from organizations.models import Organization
from jwt_auth.models import JWTSettings
org = Organization.objects.first()
settings, _ = JWTSettings.objects.get_or_create(organization=org)
settings.legacy_api_tokens_enabled = True  # plain "Authorization: Token ..." for the test users
settings.save()
ids = {}
for email, token in json.loads(sys.argv[1]).items():
    user = get_user_model().objects.filter(email=email).first() or get_user_model().objects.create_user(
        email=email, password=token + "-pw", username=email.split("@")[0])
    org.add_user(user)
    user.active_organization = org
    user.save()
    Token.objects.filter(user=user).delete()
    Token.objects.create(user=user, key=token)
    ids[email] = user.id
print(json.dumps(ids))
"""


def _label_studio() -> Path:
    configured = os.environ.get("REPORTIE_LABEL_STUDIO")
    path = Path(configured) if configured else ROOT / ".venv" / "label-studio" / "bin" / "label-studio"
    if not path.exists() and not configured:
        # Not through make: install the pinned version the way `make label-studio` does.
        subprocess.run(["make", "-s", "label-studio"], cwd=ROOT, check=True, timeout=1200)
    assert path.exists(), f"{path}: no Label Studio (run `make label-studio`)"
    version = subprocess.run([str(path.parent / "python"), "-c", "import label_studio; print(label_studio.__version__)"],
                             capture_output=True, text=True, timeout=120)
    assert version.stdout.strip() == LS_VERSION, (version.stdout, version.stderr[-2000:])
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, proc: subprocess.Popen, log: Path):
        self.url, self.proc, self.log = url, proc, log

    def request(self, method: str, path: str, token: str, body=None, raw: bool = False):
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as response:
                payload = response.read()
        except urllib.error.HTTPError as err:
            raise AssertionError(f"{method} {path}: HTTP {err.code}: {err.read()[:2000]!r}") from None
        return payload if raw else json.loads(payload or b"null")


@pytest.fixture(scope="module")
def server():
    binary = _label_studio()
    home = Path(tempfile.mkdtemp(prefix="reportie-label-studio-"))  # not pytest's: its old-dir cleanup must not race the server
    port = _free_port()
    env = dict(os.environ, LATEST_VERSION_CHECK="false", COLLECT_ANALYTICS="false", SENTRY_DSN="",
               FRONTEND_SENTRY_DSN="", LABEL_STUDIO_BASE_DATA_DIR=str(home / "data"), HOME=str(home),
               NO_PROXY="127.0.0.1,localhost", DJANGO_DB="sqlite")
    log = home / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(binary), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
             "--data-dir", str(home / "data"), "--username", "admin@example.com", "--password", "admin-pw-12345"],
            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Label Studio exited with {proc.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
            try:
                with urllib.request.urlopen(url + "/api/version", timeout=5) as response:
                    if json.loads(response.read()).get("release") == LS_VERSION:
                        break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Label Studio did not answer in {START_TIMEOUT} s:\n{log.read_text(errors='replace')[-4000:]}")
            time.sleep(2)
        python = str(binary.parent / "python")
        package = subprocess.run([python, "-c", "import label_studio, os; print(os.path.dirname(label_studio.__file__))"],
                                 env=env, capture_output=True, text=True, timeout=120, check=True).stdout.strip()
        setup = subprocess.run([python, "-c", _SETUP_USERS, json.dumps(USERS)],
                               env=dict(env, DJANGO_SETTINGS_MODULE="core.settings.label_studio", PYTHONPATH=package),
                               cwd=package, capture_output=True, text=True, timeout=300)
        assert setup.returncode == 0, setup.stderr[-4000:]
        ids = json.loads(setup.stdout.strip().splitlines()[-1])
        yield Server(url, proc, log), ids
    finally:
        _stop(proc)
        shutil.rmtree(home, ignore_errors=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=30)


def _choice(label: str) -> dict:
    return {"result": [{"from_name": "category", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]}


def _labels(annotations: Path) -> dict:
    from reportie.annotations import read_sentence_labels

    return {f"{r['doc']}:{r['start']}:{r['end']}": r["label"] for r in read_sentence_labels(annotations)}


def test_label_studio_round_trip_on_a_new_report(server, tmp_path, capsys):
    ls, ids = server
    alice, bob = USERS["alice@example.com"], USERS["bob@example.com"]
    work = tmp_path
    shutil.copytree(ROOT / "annotations", work / "annotations")
    shutil.copytree(ROOT / "seeds", work / "seeds")
    (work / "inbox").mkdir()
    shutil.copy(NEW_REPORT, work / "inbox" / NEW_REPORT.name)
    where = ["--annotations", str(work / "annotations"), "--seeds", str(work / "seeds")]
    doc = NEW_REPORT.stem

    # 1. Export the new report (the README's form: --output DIR/).
    review = work / "review"
    assert main(["annotate", "export", str(work / "inbox"), "--format", "label-studio", "--select", "uncertain",
                 "--output", f"{review}/", *where]) == 0
    tasks = json.loads((review / "tasks.json").read_text(encoding="utf-8"))
    config = (review / "config.xml").read_text(encoding="utf-8")
    assert (review / "reports" / f"{doc}.txt").is_file() and 'required="true"' in config
    assert tasks and all(t["data"]["doc"] == doc and t["meta"]["gold"] is None for t in tasks)

    # 2. A project with reportie's config, the tasks with their predictions.
    project = ls.request("POST", "/api/projects/", alice, {"title": "reportie loop test", "label_config": config})
    imported = ls.request("POST", f"/api/projects/{project['id']}/import", alice, tasks)
    assert imported["task_count"] == len(tasks) and imported["prediction_count"] == len(tasks)
    listed = ls.request("GET", f"/api/tasks/?project={project['id']}&page_size=1000", alice)["tasks"]
    task_of = {t["data"]["sid"]: t["id"] for t in listed}
    assert set(task_of) == {t["data"]["sid"] for t in tasks}

    # 3. Answers: both correct the most uncertain sentence to the model's second choice; they
    # disagree on the next; both confirm the third; alice alone answers a fourth.
    ranked = sorted((t for t in tasks if len(t["meta"]["scores"]) > 1), key=lambda t: t["meta"]["margin"])
    flip, split, agree, single = ranked[:4]
    corrected = sorted(flip["meta"]["scores"], key=flip["meta"]["scores"].get)[-2]
    assert corrected != flip["meta"]["prediction"]
    other = next(lab for lab in split["meta"]["scores"] if lab != split["meta"]["prediction"])
    answers = [(flip, alice, corrected), (flip, bob, corrected), (split, alice, split["meta"]["prediction"]),
               (split, bob, other), (agree, bob, agree["meta"]["prediction"]), (agree, alice, agree["meta"]["prediction"]),
               (single, alice, single["meta"]["prediction"])]
    for task, token, label in answers:
        ls.request("POST", f"/api/tasks/{task_of[task['data']['sid']]}/annotations/", token, _choice(label))

    exported = {fmt: ls.request("GET", f"/api/projects/{project['id']}/export?exportType={fmt}", alice, raw=True)
                for fmt in ("JSON", "JSON_MIN")}
    (review / "export.json").write_bytes(exported["JSON"])
    (review / "export-min.json").write_bytes(exported["JSON_MIN"])
    (review / "users.json").write_bytes(ls.request("GET", "/api/users/", alice, raw=True))

    # 4. Several users are never merged under one --annotator.
    capsys.readouterr()
    assert main(["annotate", "import", str(review / "export.json"), "--annotator", "someone", *where]) == 2
    assert "--annotator would merge them" in capsys.readouterr().err

    # 5. JSON-MIN (ids) into a copy, JSON (named through --users) into the real work dir: same labels.
    shutil.copytree(work / "annotations", work / "annotations-min")
    assert main(["annotate", "import", str(review / "export-min.json"), "--annotations", str(work / "annotations-min"),
                 "--seeds", str(work / "seeds")]) == 0
    out_min = capsys.readouterr().out
    assert f"label-studio:{ids['alice@example.com']}" in out_min and f"label-studio:{ids['bob@example.com']}" in out_min
    assert main(["annotate", "import", str(review / "export.json"), "--users", str(review / "users.json"), *where]) == 0
    out = capsys.readouterr().out
    assert "alice@example.com" in out and "new conflicts" in out and split["data"]["sid"] in out
    assert (work / "annotations" / "reports" / f"{doc}.txt").read_text(encoding="utf-8") == \
        (review / "reports" / f"{doc}.txt").read_text(encoding="utf-8")
    labels = _labels(work / "annotations")
    assert labels == _labels(work / "annotations-min")
    assert labels[flip["data"]["sid"]] == corrected and labels[agree["data"]["sid"]] == agree["meta"]["prediction"]
    assert labels[single["data"]["sid"]] == single["meta"]["prediction"] and split["data"]["sid"] not in labels
    records = [json.loads(line) for line in (work / "annotations" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    mine = [r for r in records if r["doc"] == doc]
    assert {r["source"] for r in mine} == {"report"} and len(mine) == len(answers)
    assert {r["annotator"] for r in mine} == {"alice@example.com", "bob@example.com"}

    # 6. An empty submission is an error naming the task; nothing is written.
    ls.request("POST", f"/api/tasks/{task_of[ranked[4]['data']['sid']]}/annotations/", bob, {"result": []})
    (review / "export2.json").write_bytes(ls.request("GET", f"/api/projects/{project['id']}/export?exportType=JSON", alice, raw=True))
    before = (work / "annotations" / "sentences.jsonl").read_bytes()
    assert main(["annotate", "import", str(review / "export2.json"), *where]) == 2
    err = capsys.readouterr().err
    assert f"task {task_of[ranked[4]['data']['sid']]} ({ranked[4]['data']['sid']})" in err and "no choice" in err
    assert (work / "annotations" / "sentences.jsonl").read_bytes() == before

    # 7. lint lists the disagreement, resolve settles it, lint is clean.
    assert main(["annotate", "lint", *where]) == 0
    assert split["data"]["sid"] in capsys.readouterr().out
    assert main(["annotate", "resolve", "--annotations", str(work / "annotations")]) == 0
    assert split["data"]["sid"] in capsys.readouterr().out
    assert main(["annotate", "resolve", split["data"]["sid"], other, "--by", "carol",
                 "--annotations", str(work / "annotations")]) == 0
    assert _labels(work / "annotations")[split["data"]["sid"]] == other
    assert main(["annotate", "lint", *where]) == 0
    assert "conflicts" not in capsys.readouterr().out

    # 8. Train into a temporary model dir; the corrected sentence's prediction changed.
    model = work / "model"
    from reportie.annotation.loop import _pipeline_with_model
    from reportie.training import train

    card = train(annotations_dir=work / "annotations", model_dir=model, seeds_dir=work / "seeds")  # `reportie train`
    assert card["label_counts"] and (model / "classifier.skops").is_file()
    from reportie.extraction import extract

    report = extract(NEW_REPORT.read_text(encoding="utf-8"), nlp=_pipeline_with_model(model))
    start, end = flip["data"]["start"], flip["data"]["end"]
    (sentence,) = [s for s in report.sentences if (s.start, s.end) == (start, end)]
    assert flip["meta"]["prediction"] != corrected
    assert sentence.label == corrected, (sentence.text, sentence.scores)
