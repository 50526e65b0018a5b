"""API: the OpenAPI document describes every route the API serves."""

import re

import pytest


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_api_rule_and_method_is_described(app, document):
    served = {
        (re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    described = {(path, method) for path, item in document["paths"].items() for method in item}

    assert served == described
    assert len(served) >= 21


def test_operations_have_a_summary_and_their_success_code(document):
    operations = [op for item in document["paths"].values() for op in item.values()]

    assert all(op["summary"] for op in operations)
    assert "201" in document["paths"]["/api/v1/courses/{course_id}/chapters"]["post"]["responses"]
    assert "204" in document["paths"]["/api/v1/auth/token"]["delete"]["responses"]


def test_request_bodies_come_from_the_models(document):
    create_video = document["paths"]["/api/v1/chapters/{chapter_id}/videos"]["post"]
    ref = create_video["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]

    assert set(schema["required"]) == {"title", "url"}
    assert schema["properties"]["url"]["maxLength"] == 2000
    segment = document["components"]["schemas"]["NewSegment"]
    assert segment["properties"]["start_seconds"]["minimum"] == 0


def test_refusals_are_listed_per_operation(document):
    patch_course = document["paths"]["/api/v1/courses/{course_id}"]["patch"]["responses"]
    join = document["paths"]["/api/v1/courses/join"]["post"]["responses"]

    assert {"400", "401", "403", "404", "422"} <= set(patch_course)
    assert {"404", "409", "422"} <= set(join)


def test_only_registration_token_and_this_document_are_public(document):
    public = {
        (path, method)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if op.get("security") == []
    }

    assert public == {
        ("/api/v1/users", "post"),
        ("/api/v1/auth/token", "post"),
        ("/api/v1/openapi.json", "get"),
    }
    assert document["security"] == [{"bearer": []}]


def test_paginated_lists_document_their_page_arguments(document):
    parameters = document["paths"]["/api/v1/courses/{course_id}/members"]["get"]["parameters"]

    assert [(p["name"], p["in"]) for p in parameters] == [
        ("course_id", "path"),
        ("page", "query"),
        ("per_page", "query"),
    ]
