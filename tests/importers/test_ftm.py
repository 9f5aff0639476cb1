"""The FollowTheMoney importer: entities, relations, sanctions, skips, malformed lines."""

from __future__ import annotations

from tests.importers.common import (  # shared data and helpers
    json, pytest, open_store, import_file, FTM, FTM_REAL, SHARED, claims_where,
)


def test_ftm_entities_and_relations(store_path):
    store = open_store(store_path)
    report = import_file(store, "ftm", FTM)
    assert report.rows == 11
    # 6 + the person-owned Ownership (owned_by); FtM makes no transfers, so no deals
    assert report.counts == {"documents": 2, "entities": 6, "deals": 0, "claims": 7}
    assert report.resolved["Rostec"] == "firm:rostec"  # not duplicated
    assert sum(1 for e in store.dataset().entities.values() if e.name == "Rostec") == 1
    acme = [e for e in store.dataset().entities.values() if e.name == "Acme Drone Works"][0]
    assert acme.type == "firm" and "ООО «Акме Дрон»" in acme.aliases and acme.country == "state:russia"
    assert acme.attributes["ftm_id"] == "demo-co-acme" and acme.attributes["first_seen"].startswith("2023-02-23")

    owned = claims_where(store, subject=acme.id, relation="subsidiary_of", object="firm:rostec")
    assert len(owned) == 1 and owned[0].start == "2016-03-29" and owned[0].attributes["percentage"] == "49"
    assert owned[0].citations[0].document == "ftm-demo_registry" and owned[0].citations[0].locator == "demo-own-1"
    assert "owner=Rostec" in owned[0].citations[0].quote
    petrov = [e for e in store.dataset().entities.values() if e.name == "Ivan PETROV"][0]
    post = claims_where(store, subject=petrov.id, relation="holds_position", object=acme.id)
    assert post[0].attributes["role"] == "General Director" and post[0].start == "2017-10-23"


def test_ftm_sanctions_become_entity_imposes_targets(store_path):
    store = open_store(store_path)
    import_file(store, "ftm", FTM)
    data = store.dataset()
    sanctions = {e.id: e for e in data.entities.values() if e.type == "sanction" and "ftm_id" in e.attributes}
    assert len(sanctions) == 2
    targets = [c for c in data.claims.values() if c.relation == "targets" and "ftm_id" in c.attributes]
    imposes = [c for c in data.claims.values() if c.relation == "imposes" and c.object in sanctions]
    assert len(targets) == 2 and len(imposes) == 2
    on_acme = [c for c in targets if data.entities[c.object].name == "Acme Drone Works"][0]
    assert on_acme.start == "2023-02-24"
    on_petrov = [c for c in targets if data.entities[c.object].name == "Ivan PETROV"][0]
    assert on_petrov.date == "2024-05-01"  # the earliest listing date when no startDate
    authority = data.entities[[c for c in imposes if c.object == on_acme.subject][0].subject]
    assert authority.type == "gov_body" and authority.country == "state:united-states"


def test_ftm_skips_are_counted_with_reasons(store_path):
    report = import_file(open_store(store_path), "ftm", FTM)
    assert dict(report.skipped_kinds) == {"Family": 1, "Address": 1}
    reasons = dict(report.skipped)
    assert "line 5 (Ownership demo-own-2)" not in reasons       # a person owner becomes owned_by
    assert "Address" in reasons["line 11 (Sanction demo-san-3)"]
    data = open_store(store_path).dataset()
    owned = [c for c in data.claims.values() if c.relation == "owned_by"]
    assert [(data.entities[c.subject].name, data.entities[c.object].name) for c in owned] == [("Acme Drone Works", "Ivan PETROV")]


def test_ftm_import_twice_changes_nothing(store_path):
    store = open_store(store_path)
    import_file(store, "ftm", FTM)
    once = store.dataset()
    import_file(store, "ftm", FTM)
    assert store.dataset() == once


def test_ftm_malformed_lines_are_located(run, store_path, tmp_path):
    bad = tmp_path / "bad.ftm.json"
    lines = FTM.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:40]
    lines[4] = json.dumps({"id": "x", "properties": {}})
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = store_path.read_bytes()
    result = run("import", "ftm", bad, "--store", store_path)
    assert result.exit_code == 1
    assert f"{bad}:3: not valid JSON" in result.output
    assert f"{bad}:5: field 'schema': missing" in result.output and "(fix:" in result.output
    assert store_path.read_bytes() == before


def test_real_ftm_files(store_path):
    store = open_store(store_path)
    zala = import_file(store, "ftm", FTM_REAL / "zala_aero_entities.ftm.json")
    assert zala.rows == 91
    assert dict(zala.skipped_kinds) == {"Address": 11, "Family": 4, "Passport": 1}
    data = store.dataset()
    assert len([c for c in data.claims.values() if c.relation == "targets" and "ftm_id" in c.attributes]) == 41
    ownership = [c for c in data.claims.values() if c.relation == "subsidiary_of" and c.key and c.key.startswith("ftm ")]
    person_owned = [c for c in data.claims.values() if c.relation == "owned_by" and c.key and c.key.startswith("ftm ")]
    assert len(ownership) + len(person_owned) == 14  # every Ownership becomes a claim
    assert not [w for w, _ in zala.skipped if "Ownership" in w]
    assert len([c for c in data.claims.values() if c.relation == "holds_position" and "ftm_id" in c.attributes]) == 3
    cst = [e for e in data.entities.values() if e.name == "LLC CST"][0]
    assert "ЗАЛА АЭРО" in cst.aliases and cst.country == "state:russia"
    fsf = import_file(store, "ftm", FTM_REAL / "eu_fsf_sample_entities.ftm.json")
    assert fsf.rows == 7 and dict(fsf.skipped_kinds) == {"Address": 1}
    assert len([c for c in fsf.created if c[2].startswith("FtM ")]) == 6  # 4 Person, 2 Organization
    assert {"state:belarus", "state:iran"} <= {eid for eid, _, _ in fsf.created}  # from country codes
