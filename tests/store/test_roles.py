"""Tests for the roles repository (figure roles kept between runs), on SQLite and PostgreSQL."""

from __future__ import annotations


def test_saved_roles_read_back_by_key(store):
    store.roles.save([("k1", '["injur"]'), ("k2", "[null]")])
    assert store.roles.get(["k2", "k1", "k3"]) == {"k1": '["injur"]', "k2": "[null]"}


def test_a_role_saved_twice_keeps_the_first(store):
    store.roles.save([("k1", "[1]")])
    store.roles.save([("k1", "[2]")])
    assert store.roles.get(["k1"]) == {"k1": "[1]"}
