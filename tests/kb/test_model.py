"""The shipped model matches the source article: Table 1 (dimensions) and Table 2 (the scale), in three languages."""

from __future__ import annotations

TABLE1 = {
    "strategy": ("Стратегиялық басқару", "Стратегическое управление", "Strategic management"),
    "organisation": ("Ұйымдастырушылық жетілу", "Организационная зрелость", "Organisational maturity"),
    "technology": ("Технологиялық жетілу", "Технологическая зрелость", "Technological maturity"),
    "culture": ("Цифрлық мәдениет", "Цифровая культура", "Digital culture"),
}
REQUIREMENTS = {
    "strategy": ["A strategy exists", "Coordination with other state bodies", "Monitoring of digitalisation"],
    "organisation": ["Digital project-management standards", "Level of automation", "Integration with state services"],
    "technology": ["Use of IT solutions", "Information security", "Big data", "Artificial intelligence"],
    "culture": ["Staff competence", "Level of engagement", "Digital motivation"],
}
METHODS = {
    "strategy": {"document_analysis", "leadership_interview"},
    "organisation": {"process_analysis", "tool_review"},
    "technology": {"technical_audit", "data_analysis"},
    "culture": {"staff_survey", "skills_test"},
}
TABLE2 = [
    ("Цифрлық жетілудің бастапқы деңгейі, цифрлық технологиялардың минималды интеграциясы",
     "Initial level of digital maturity; minimal integration of digital technologies"),
    ("Негізгі деңгей, сандық шешімдерді шектеулі пайдалану", "Basic level; limited use of digital solutions"),
    ("Орташа деңгей, цифрландыру стандарттарының болуы, ішінара автоматтандыру",
     "Medium level; digitalisation standards exist, partial automation"),
    ("Жоғары деңгей, цифрлық құралдар мен автоматтандырылған жүйелерді белсенді енгізу",
     "High level; active introduction of digital tools and automated systems"),
    ("Цифрлық жетілудің жоғары деңгейі, технологияларды басқару процестеріне толық интеграциялау",
     "Highest level of digital maturity; full integration of technologies into management processes"),
]


def test_dimensions_are_table_1(kb) -> None:
    assert list(kb.dimensions) == list(TABLE1)
    for did, (kk, ru, en) in TABLE1.items():
        d = kb.dimensions[did]
        assert (d.name.kk, d.name.ru, d.name.en) == (kk, ru, en)
        assert [r.en for r in d.key_requirements] == REQUIREMENTS[did]
        assert METHODS[did] <= set(d.methods)


def test_scale_is_table_2(kb) -> None:
    assert [s.level for s in kb.scale] == [1, 2, 3, 4, 5]
    for s, (kk, en) in zip(kb.scale, TABLE2):
        assert (s.meaning.kk, s.meaning.en) == (kk, en)
        assert s.meaning.ru and s.name.ru


def test_criteria_cover_the_dimensions(kb) -> None:
    assert len(kb.criteria) >= 24
    for d in kb.dimensions:
        crits = kb.criteria_of(d)
        assert len(crits) >= 5, d
        for c in crits:
            descriptors = [c.levels[n].en for n in range(1, 6)]
            assert len(set(descriptors)) == 5, f"{c.id}: descriptors must differ"
            assert c.weight == 1.0   # default weights: equal
            assert c.methods


def test_every_key_requirement_has_a_criterion(kb) -> None:
    # Table 1's key requirements, as criterion ids
    needed = {"strategy.digital_strategy", "strategy.coordination", "strategy.monitoring", "organisation.pm_standard",
              "organisation.automation", "organisation.platform_integration", "technology.it_solutions",
              "technology.information_security", "technology.big_data", "technology.ai_use",
              "culture.digital_literacy", "culture.engagement", "culture.motivation"}
    assert needed <= set(kb.criteria)


def test_profiles_cover_the_article_directions(kb) -> None:
    p = kb.profiles
    assert set(p.government_level) == {"republican", "local"}
    assert {"default", "health", "economy", "social_protection"} <= set(s for s, v in p.sector.items() if v)
    assert set(p.office_type) == {"centralised", "decentralised"}
    assert p.sector["default"].weights == {d: 0.25 for d in kb.dimensions}
