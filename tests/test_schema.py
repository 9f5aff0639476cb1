import pytest

from coopgraph.graph.errors import SchemaError
from coopgraph.graph.schema import load_schema


def test_schema_declares_the_types_analysts_need():
    schema = load_schema()
    for name in ("state", "gov_body", "armed_service", "firm", "research_institute", "weapon_system",
                 "technology", "program", "agreement", "sanction", "person", "technology_field"):
        assert name in schema.entity_types
    assert schema.relation("supplies").is_flow
    assert schema.relation("copy_of").flow == "reverse"
    assert not schema.relation("subsidiary_of").is_flow
    assert schema.relation("cooperates_with").symmetric


def test_relation_endpoints_are_checked():
    rel = load_schema().relation("transferred_to")
    assert rel.allows("weapon_system", "state")
    assert not rel.allows("state", "weapon_system")


def test_labels_and_relationship_types_are_safe_identifiers():
    schema = load_schema()
    for name in schema.entity_types:
        assert schema.label(name).isalnum()
    for name in schema.relation_types:
        assert schema.rel_type(name).replace("_", "").isalnum()


def test_unknown_names_raise_schema_error():
    with pytest.raises(SchemaError, match="unknown relation type 'sells'"):
        load_schema().relation("sells")


def test_user_extension_adds_types(tmp_path):
    ext = tmp_path / "ext.yaml"
    ext.write_text(
        "entity_types:\n  shipyard:\n    prefix: yard\n    label: Shipyard\n"
        "relation_types:\n  builds_at:\n    subject: [weapon_system]\n    object: [shipyard]\n    flow: none\n"
    )
    schema = load_schema(ext)
    assert schema.entity_type("shipyard").prefix == "yard"
    assert schema.relation("builds_at").allows("weapon_system", "shipyard")
    assert "shipyard" not in load_schema().entity_types


def test_extension_may_not_redefine_or_inject(tmp_path):
    ext = tmp_path / "ext.yaml"
    ext.write_text("relation_types:\n  supplies:\n    flow: none\n")
    with pytest.raises(SchemaError, match="already declared"):
        load_schema(ext)
    bad = tmp_path / "bad.yaml"
    bad.write_text("relation_types:\n  evil:\n    neo4j_type: 'X]->() DETACH DELETE n //'\n")
    with pytest.raises(SchemaError, match="UPPER_SNAKE_CASE"):
        load_schema(bad)
