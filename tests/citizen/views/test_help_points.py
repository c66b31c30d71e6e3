"""/aide/lieux: the help points of the settings file, nearest first for a postal code, without JS or a map."""
import re

import pytest
from hypothesis import given, strategies as st

from guichet.citizen.nearby import haversine_km, nearest_first, rounded_km


def _names(html: str) -> list[str]:
    return re.findall(r"<h2>([^<]+)</h2>", html.replace("&#39;", "'"))


def test_every_help_point_is_listed_with_hours_phone_and_access(client, app):
    response = client.get("/aide/lieux")
    html = response.get_data(as_text=True).replace("&#39;", "'")
    assert response.status_code == 200
    for point in app.config["SETTINGS"]["help_points"]:
        assert point["name"] in html and point["hours"] in html and point["phone"] in html
        assert point["accessibility"] in html
    assert 'name="code_postal"' in html and 'method="get"' in html and "<script" not in html.split("<main")[1]


def test_a_postal_code_puts_the_nearest_first(client):
    html = client.get("/aide/lieux?code_postal=99110").get_data(as_text=True)
    assert _names(html)[0] == "France services de Belleville-sur-Admi"
    assert "À moins de 1 km" in html or "À environ" in html
    assert _names(client.get("/aide/lieux?code_postal=99100").get_data(as_text=True))[-1] == \
        "France services de Belleville-sur-Admi"


@pytest.mark.parametrize("typed, message", [
    ("991", "Écrivez le code postal avec 5 chiffres"), ("abcde", "Écrivez le code postal avec 5 chiffres"),
    ("", "Écrivez votre code postal."), ("75001", "Nous ne connaissons pas ce code postal"),
])
def test_a_bad_postal_code_gets_a_message_a_400_and_every_place(client, app, typed, message):
    response = client.get("/aide/lieux", query_string={"code_postal": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and 'class="resume-erreurs"' in html
    assert len(_names(html)) == len(app.config["SETTINGS"]["help_points"])


POINT = st.fixed_dictionaries({"latitude": st.floats(-80, 80), "longitude": st.floats(-179, 179)})


@given(a=POINT, b=POINT)
def test_distance_is_symmetric_positive_and_bounded(a, b):
    assert haversine_km(a, b) == pytest.approx(haversine_km(b, a), abs=1e-6)
    assert 0 <= haversine_km(a, b) <= 20016
    assert haversine_km(a, a) == pytest.approx(0, abs=1e-6)


@given(points=st.lists(st.one_of(POINT.map(lambda c: {"name": "x", "coordinates": c}), st.just({"name": "y"})),
                       max_size=6), origin=POINT)
def test_nearest_first_sorts_by_distance_and_keeps_places_without_coordinates_last(points, origin):
    found = nearest_first(points, origin)
    distances = [item.km for item in found if item.km is not None]
    assert distances == sorted(distances) and len(found) == len(points)
    assert all(item.km is None for item in found[len(distances):])


def test_distances_are_read_as_whole_kilometres():
    assert (rounded_km(0.4), rounded_km(1.46), rounded_km(7.6)) == (None, "1,5", "8")
