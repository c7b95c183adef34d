"""What a rule edit changes, in the web: the page and `advisor web impact` give exactly the changes that
`advisor rules diff` gives on the same rounds; the candidate is validated and linted first, an upload is
unpacked within bounds; nothing of the bodies is stored or changed; an analyst sees no body's name."""

from __future__ import annotations

import json
import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from advisor import api
from tests.conftest import run_cli
from tests.web.conftest import World
from tests.web.kbhelpers import candidate, zipped


@pytest.fixture
def candidates(tmp_path: Path, settings: Any) -> Path:
    settings.ADVISOR_CANDIDATE_KBS = str(tmp_path / "candidates")
    candidate(tmp_path / "candidates" / "training-threshold")
    return tmp_path / "candidates"


def rules_diff_of_rounds(world: World, tmp_path: Path, kb_dir: Path) -> dict[str, dict[str, Any]]:
    """The CLI's `rules diff` on the final rounds exported as assessment files: changes by slug-number."""
    from advisor.web.assessments import services
    from advisor.web.assessments.models import Round
    folder = tmp_path / "exported"
    folder.mkdir()
    for r in Round.objects.filter(status="final"):
        (folder / f"{r.body.slug}-{r.number}.yaml").write_text(services.export_yaml(r), encoding="utf-8")
    out = json.loads(run_cli("rules", "diff", api.default_kb_root(), kb_dir, "--assessments", folder, "--format", "json").output)
    return {Path(c.pop("file")).stem: c for c in out["changes"]}, out["summary"]  # type: ignore[return-value]


def run_queue() -> None:
    from advisor.web.jobs import services
    while (job := services.claim()) is not None:
        services.run(job)


def stored_state() -> tuple[Any, ...]:
    from advisor.web.assessments.models import Answer, AuditEvent, Result, Round
    return (list(Result.objects.order_by("pk").values_list("pk", "kb_hash")), Answer.objects.count(),
            AuditEvent.objects.count(), list(Round.objects.order_by("pk").values_list("pk", "status")))


def jsonable(change: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(change))


@pytest.mark.django_db(transaction=True)
def test_the_page_gives_exactly_the_changes_of_rules_diff(world: World, candidates: Path, tmp_path: Path) -> None:
    from advisor.web.jobs.models import Job
    expected, summary = rules_diff_of_rounds(world, tmp_path, candidates / "training-threshold")
    assert summary["changed"] == 1 and summary["weaknesses_added"] == 1   # the edit matters for one body only
    before = stored_state()
    client = Client()
    client.force_login(world.users["coordinator"])
    response = client.post("/knowledge-base/impact/", {"candidate": "training-threshold"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/" and job.status == "queued" and job.total == 2
    panel = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 2s"' in panel           # polled while it waits for the worker
    run_queue()
    job.refresh_from_db()
    assert job.status == "done" and job.done == 2
    assert job.result["summary"] == summary
    from advisor.web.assessments.models import Round
    got = {f"{Round.objects.get(pk=c['round']).body.slug}-{c['number']}":
           {k: v for k, v in c.items() if k not in ("round", "body", "number")} for c in job.result["changes"]}
    assert got == {k: jsonable(v) for k, v in expected.items()}
    page = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in page                    # finished: polling stops
    changed = [k for k, v in expected.items() if v["weaknesses_added"]]
    body = Round.objects.get(pk=next(c["round"] for c in job.result["changes"] if c["weaknesses_added"])).body
    assert body.name_ru in page and f"/{changed[0]}" not in page
    assert stored_state() == before                    # nothing stored or changed for the bodies


@pytest.mark.django_db
def test_the_management_command_gives_the_same_changes(world: World, candidates: Path, tmp_path: Path) -> None:
    from advisor.web import commands
    expected, summary = rules_diff_of_rounds(world, tmp_path, candidates / "training-threshold")
    before = stored_state()
    result, findings = commands.impact(str(candidates / "training-threshold"))
    assert not [f for f in findings if f.severity == "error"]
    assert result.summary == summary
    assert {c.file.replace(" #", "-"): jsonable({k: v for k, v in c.__dict__.items() if k != "file"})
            for c in result.changes} == {k: jsonable(v) for k, v in expected.items()}
    assert stored_state() == before


@pytest.mark.django_db
def test_an_analyst_sees_the_changes_without_names(world: World, candidates: Path) -> None:
    client = Client()
    client.force_login(world.users["analyst"])
    job_url = client.post("/knowledge-base/impact/", {"candidate": "training-threshold"})["Location"]
    run_queue()
    page = client.get(job_url).content.decode()
    # bodies are numbered in an order drawn per job: which number the changed body gets is not fixed
    assert re.search(r"Орган [12] · раунд", page) and "W-HUM-TRAINING-INEFFECTIVE" in page
    for b in world.bodies.values():
        assert b.name_ru not in page and b.slug not in page and b.name_en not in page


@pytest.mark.django_db
def test_a_candidate_that_does_not_load_is_refused_with_located_messages_in_the_users_language(
        world: World, candidates: Path) -> None:
    from advisor.web.jobs.models import Job
    broken = candidates / "broken"
    candidate(broken)
    rules = broken / "rules" / "culture.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("then: [W-HUM-TRAINING-INEFFECTIVE]", "then: [W-NO-SUCH]"),
                     encoding="utf-8")
    client = Client()
    client.force_login(world.users["analyst"])   # language ru
    response = client.post("/knowledge-base/impact/", {"candidate": "broken"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "culture.yaml:" in text and "W-NO-SUCH" in text and "Базу знаний-кандидат не удалось загрузить" in text
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_name_not_offered_is_refused(world: World, candidates: Path) -> None:
    client = Client()
    client.force_login(world.users["coordinator"])
    for name in ("../candidates/training-threshold", "/etc", "missing", ""):
        assert client.post("/knowledge-base/impact/", {"candidate": name}).status_code == 422


@pytest.mark.django_db
def test_an_uploaded_zip_runs_like_a_folder_and_is_removed_after(world: World, candidates: Path) -> None:
    from advisor.web.jobs.models import Job
    client = Client()
    client.force_login(world.users["coordinator"])
    archive = SimpleUploadedFile("kb.zip", zipped(candidates / "training-threshold"), "application/zip")
    assert client.post("/knowledge-base/impact/", {"archive": archive}).status_code == 302
    job = Job.objects.get()
    assert Path(job.params["kb"]).is_dir() and job.params["label"] == "kb.zip"
    run_queue()
    job.refresh_from_db()
    assert job.status == "done" and job.result["summary"]["weaknesses_added"] == 1
    assert not Path(job.params["kb"]).exists()


def _zip(entries: dict[str, bytes], symlink: str | None = None) -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            z.writestr(info, "/etc/passwd")
    return buf.getvalue()


@pytest.mark.parametrize("content, message", [
    (b"not a zip", "not a zip archive"),
    (_zip({"kb/../../evil.yaml": b"x: 1"}), "unsafe file name"),
    (_zip({"/abs/knowledge_base/kb.yaml": b"x: 1"}), "unsafe file name"),
    (_zip({"kb/knowledge_base/kb.yaml": b"x: 1"}, symlink="kb/rules/link.yaml"), "unsafe file name"),
    (_zip({"kb/knowledge_base/kb.yaml": b" " * (3 << 20), "kb/rules/a.yaml": b"x: 1"}), "larger than 2 MB"),
    (_zip({f"kb/knowledge_base/f{i}.yaml": b"#" * (2 << 20) for i in range(9)} | {"kb/rules/a.yaml": b"x: 1"}),
     "unpacks to more than 16 MB"),
    (_zip({"kb/readme.txt": b"hello"}), "not a knowledge base folder"),
])
def test_a_hostile_or_wrong_zip_is_refused_and_nothing_is_written(tmp_path: Path, content: bytes, message: str) -> None:
    from advisor.errors import AdvisorError
    from advisor.web.jobs import upload
    with pytest.raises(AdvisorError) as err:
        upload.unpack("kb.zip", content, tmp_path)
    assert message in str(err.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_advisor_web_impact_prints_what_rules_diff_prints(world: World, candidates: Path, tmp_path: Path) -> None:
    kb_dir = candidates / "training-threshold"
    expected, summary = rules_diff_of_rounds(world, tmp_path, kb_dir)
    out = run_cli("web", "impact", kb_dir).output
    (key, change), = ((k, v) for k, v in expected.items() if v["weaknesses_added"])
    slug, number = key.rsplit("-", 1)
    assert f"{slug} #{number}\n    + weakness {change['weaknesses_added'][0]}\n" in out
    assert f"{summary['changed']} of {summary['assessments']} assessment(s) changed" in out
    data = json.loads(run_cli("web", "impact", kb_dir, "--format", "json").output)
    assert data["summary"] == summary and data["new_path"] == str(kb_dir)


@pytest.mark.django_db
def test_advisor_web_impact_refuses_a_candidate_that_does_not_load(world: World, candidates: Path) -> None:
    broken = candidate(candidates / "broken")
    rules = broken / "rules" / "culture.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("then: [W-HUM-TRAINING-INEFFECTIVE]", "then: [W-NO-SUCH]"),
                     encoding="utf-8")
    out = run_cli("web", "impact", broken, code=2).output
    assert "culture.yaml:" in out and "W-NO-SUCH" in out and "Traceback" not in out


@pytest.mark.django_db
def test_advisor_web_worker_once_runs_the_queue(world: World, candidates: Path) -> None:
    from advisor.web.jobs import services
    from advisor.web.jobs.models import Job
    services.queue_impact(world.users["coordinator"], candidates / "training-threshold", anonymise=False, label="t")
    out = run_cli("web", "worker", "--once").output
    job = Job.objects.get()
    assert job.status == "done" and f"job {job.pk} done" in out


def test_lint_findings_on_the_page_are_in_the_users_language() -> None:
    from django.utils import translation

    from advisor.kb.lint import lint
    from advisor.web.jinja import _say
    page = (Path(__file__).parents[2] / "advisor/web/jobs/jinja2/jobs/kb.html").read_text(encoding="utf-8")
    assert "f.message|say" in page and "f.hint|say" in page   # the page shows them through the user's gettext
    finding = next(f for f in lint(api.default_kb_root()) if f.code == "I121")
    with translation.override("kk"):
        assert _say(finding.message).startswith("тексерілмеген дереккөз құжаттары:") and "нөмірін" in _say(finding.hint)
    with translation.override("ru"):
        assert _say(finding.message).startswith("не проверено документов-источников:")
    with translation.override("en"):
        assert _say(finding.message) == str(finding.message)
