"""Import a body's assessment (YAML, JSON, XLSX, CSV) through the CLI's loaders; export a round to YAML the CLI reads."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from markupsafe import escape

from advisor import api
from advisor.io import spreadsheet
from advisor.web.assessments import services
from advisor.web.assessments.models import Answer, Round
from tests.web.conftest import EXAMPLE_A, EXAMPLE_B, World

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


def lead(world: World) -> Client:
    c = Client()
    c.force_login(world.users["lead-A"])
    return c


def upload(c: Client, world: World, name: str, content: bytes) -> object:
    return c.post(f"/bodies/{world.bodies['A'].slug}/import/", {"file": SimpleUploadedFile(name, content)})


def findings(ev: api.Evaluation) -> tuple[object, ...]:
    return (ev.scores.overall_score, [d.score for d in ev.scores.dimensions], sorted(w.id for w in ev.findings.weaknesses))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_round_trip_every_example(world: World, tmp_path: Path, path: Path) -> None:
    """file -> web round -> exported YAML -> `advisor` reads it: the same assessment and the same advice."""
    from advisor.web.bodies.models import Body
    kb = services.kb()
    original = api.assess(path, kb)
    org = original.assessment.organisation
    body = Body.objects.get_or_create(slug=org.id, defaults={"name_kk": org.name, "name_ru": org.name, "name_en": org.name,
                                      "government_level": org.government_level, "sector": org.sector,
                                      "office_type": org.office_type})[0]
    r = services.import_round(body, path.name, path.read_bytes(), world.users["lead-A"])
    exported = tmp_path / "round.yaml"
    exported.write_text(services.export_yaml(r), encoding="utf-8")
    again = api.assess(exported, kb)
    assert again.assessment.scores == original.assessment.scores
    assert again.assessment.outcomes == original.assessment.outcomes
    assert again.assessment.staffing == original.assessment.staffing
    assert (again.assessment.date, again.assessment.assessor) == (original.assessment.date, original.assessment.assessor)
    assert findings(again) == findings(original)


def test_import_yaml_json_xlsx_and_csv(world: World) -> None:
    c = lead(world)
    kb = services.kb()
    data = yaml.safe_load(EXAMPLE_A.read_text(encoding="utf-8"))
    header = spreadsheet.columns(kb)
    row = [data["organisation"].get(h) for h in spreadsheet.ORG_COLUMNS[:5]] + [str(data["date"]), data["assessor"]]
    entry = {cid: (v if not isinstance(v, dict) else v.get("score", "n/a" if v.get("not_applicable") else None))
             for cid, v in data["scores"].items()}
    row += [entry.get(cid) for cid in header[len(spreadsheet.ORG_COLUMNS):]]
    book = openpyxl.Workbook()
    book.active.append(header)
    book.active.append(["Другой орган", "other-body", "local", "health", "centralised", "2026-01-01", "X"] + [3] * (len(header) - 7))
    book.active.append(row)
    xlsx = io.BytesIO()
    book.save(xlsx)
    csv_text = ";".join(header) + "\n" + ";".join("" if v is None else str(v) for v in row) + "\n"
    for name, content in [("a.yaml", EXAMPLE_A.read_bytes()), ("a.json", json.dumps(data, default=str, ensure_ascii=False).encode()),
                          ("a.xlsx", xlsx.getvalue()), ("a.csv", csv_text.encode())]:
        before = Round.objects.count()
        resp = upload(c, world, name, content)
        assert resp.status_code == 302, (name, resp.content.decode()[:2000])
        r = Round.objects.order_by("-pk").first()
        assert Round.objects.count() == before + 1 and r.status == "draft" and r.body == world.bodies["A"]
        scores = {a.criterion: a.score for a in r.answers.all() if a.score is not None}
        assert scores == {cid: v.score for cid, v in api.assess(EXAMPLE_A, services.kb()).assessment.scores.items()
                          if v.score is not None}


def test_a_bad_file_shows_the_located_message_and_stores_nothing(world: World) -> None:
    c = lead(world)
    rounds, answers = Round.objects.count(), Answer.objects.count()
    text = EXAMPLE_A.read_text(encoding="utf-8").replace("strategy.alignment:\n    score: 3", "strategy.alignment:\n    score: 7", 1)
    resp = upload(c, world, "mine.yaml", text.encode())
    page = resp.content.decode()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "score: 7" in t)
    assert resp.status_code == 422 and f"mine.yaml:{line}" in page and "scores.strategy.alignment.score" in page
    broken = upload(c, world, "broken.yaml", b"organisation: [\n")
    assert broken.status_code == 422 and "broken.yaml:2:1: ошибка в YAML" in broken.content.decode()
    other = upload(c, world, "b.yaml", EXAMPLE_B.read_bytes())
    assert other.status_code == 422 and "а не &#39;adz-example&#39;" in other.content.decode()
    assert (Round.objects.count(), Answer.objects.count()) == (rounds, answers)


def test_uploads_are_size_limited(world: World, settings: object) -> None:
    settings.UPLOAD_MAX_BYTES = 1024  # type: ignore[attr-defined]
    resp = upload(lead(world), world, "big.yaml", b"#" * 2048)
    assert resp.status_code == 413 and "1 КБ" in resp.content.decode()


def test_halves_only_in_the_web(world: World) -> None:
    text = EXAMPLE_A.read_text(encoding="utf-8").replace("strategy.alignment:\n    score: 3", "strategy.alignment:\n    score: 3.25", 1)
    resp = upload(lead(world), world, "q.yaml", text.encode())
    assert resp.status_code == 422 and "scores.strategy.alignment" in resp.content.decode()


def bad_uploads() -> list[tuple[str, bytes]]:
    text = EXAMPLE_A.read_text(encoding="utf-8")
    return [("range.yaml", text.replace("strategy.alignment:\n    score: 3", "strategy.alignment:\n    score: 7", 1).encode()),
            ("unknown.yaml", text.replace("strategy.alignment:", "strategy.alignmnet:", 1).encode()),
            ("half.yaml", text.replace("strategy.alignment:\n    score: 3", "strategy.alignment:\n    score: 3.25", 1).encode()),
            ("outcome.yaml", text.replace("value: 48", "value: 148", 1).encode()),
            ("broken.yaml", b"organisation: [\n"),
            ("cp1251.yaml", "организация: Акимат\n".encode("cp1251")),
            ("other.yaml", EXAMPLE_B.read_bytes()),
            ("notes.txt", b"hello"),
            ("list.json", b"[1, 2]"),
            ("sheet.csv", b"a,b\n1,2\n"),
            ("sheet.xlsx", b"not a workbook")]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_bad_upload_is_told_in_the_users_language(world: World, lang: str) -> None:
    """Every refusal of an upload is the CLI's located message, rendered in the user's language: its message
    and hint come from the catalogue (only values quoted from the file, ids and YAML's own parser text stay)."""
    from advisor.errors import Msg
    from advisor.web.accounts.models import Profile
    Profile.objects.filter(user=world.users["lead-A"]).update(language=lang)
    gettext = api.translations(lang).gettext
    c = lead(world)
    for name, content in bad_uploads():
        try:
            services.import_round(world.bodies["A"], name, content, world.users["lead-A"])
        except api.AdvisorError as err:
            problems = err.problems
        else:
            raise AssertionError(f"{name} was accepted")
        page = upload(c, world, name, content).content.decode()
        for p in problems:
            for part in (p.message, p.hint):
                if part is None:
                    continue
                assert isinstance(part, Msg), f"{name}: {part!r} is not translatable"
                assert gettext(part.template) != part.template, f"{name}: {part.template!r} has no {lang} translation"
            said = p.render(gettext)
            assert escape(said) in page, f"{name}: {said!r} not on the page"
            assert escape(str(p.message)) not in page, f"{name}: the English message is on the page"
