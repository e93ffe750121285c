"""The PynamoDB session engine: a drop-in for django-dynamodb-sessions, written only when modified."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.test import Client

from accounts.sessions.dynamodb import SessionStore
from accounts.sessions.models import SessionItem
from arena_site.tables import count_requests


def test_the_engine_is_configured_with_the_drop_in_setting_names(settings):
    assert settings.SESSION_ENGINE == "accounts.sessions.dynamodb"
    assert SessionItem.Meta.table_name == settings.DYNAMODB_SESSIONS_TABLE_NAME
    assert SessionItem.session_key.attr_name == settings.DYNAMODB_SESSIONS_TABLE_HASH_ATTRIB_NAME


def test_a_session_round_trips_through_dynamodb(dynamodb):
    store = SessionStore()
    store["player"] = "p-1"
    store.save()
    item = SessionItem.get(store.session_key)
    assert item.expires_at > time.time() + 3600
    again = SessionStore(session_key=store.session_key)
    assert again["player"] == "p-1"
    assert again.exists(store.session_key)


def test_an_expired_session_is_treated_as_missing_although_still_stored(dynamodb):
    store = SessionStore()
    store["player"] = "p-2"
    store.set_expiry(1)
    store.save()
    SessionItem(
        store.session_key, data=SessionItem.get(store.session_key).data, expires_at=int(time.time()) - 5
    ).save()
    stale = SessionStore(session_key=store.session_key)
    assert stale.get("player") is None
    assert not stale.exists(store.session_key)


def test_cycling_the_key_keeps_the_data_and_drops_the_old_item(dynamodb):
    store = SessionStore()
    store["player"] = "p-3"
    store.save()
    old_key = store.session_key
    store.cycle_key()
    assert store.session_key != old_key
    assert SessionStore(session_key=store.session_key)["player"] == "p-3"
    assert not SessionStore().exists(old_key)


def test_flush_deletes_the_session(dynamodb):
    store = SessionStore()
    store["player"] = "p-4"
    store.save()
    key = store.session_key
    store.flush()
    assert not SessionStore().exists(key)


def test_saving_a_session_deleted_meanwhile_does_not_resurrect_it(dynamodb):
    store = SessionStore()
    store["player"] = "p-5"
    store.save()
    other_tab = SessionStore(session_key=store.session_key)
    other_tab.delete()
    store["player"] = "p-6"
    with pytest.raises(UpdateError):
        store.save()


def test_requests_that_only_read_the_session_never_write_it(player):
    match_id = player.create_match(white="human", black="human")
    with count_requests() as counter:
        player.client.get(f"/matches/{match_id}/")
        player.client.get("/")
    assert "PutItem" not in counter.calls
    # Once per page (the header says who is logged in), never more: Django caches it per request.
    assert counter.calls["GetItem"] == 2


def test_a_visitor_without_a_cookie_costs_no_session_request(dynamodb):
    with count_requests() as counter:
        Client().get("/matches/new")
    assert counter.total == 0
