from tests.factories import ApiClient, make_channel, make_user

URL = "/api/v1/org/channels"


def test_channel_crud(api, dealer):
    response = api.post(URL, {"code": "GB", "name": "社区团购", "kind": "group_buy"})
    assert response.status_code == 201, response.content
    channel_id = response.json()["id"]
    assert response.json()["dealer_id"] == dealer.pk
    patched = api.patch(f"{URL}/{channel_id}", {"is_active": False})
    assert (patched.status_code, patched.json()["is_active"]) == (200, False)
    assert api.get(f"{URL}/{channel_id}").json()["name"] == "社区团购"
    assert [c["code"] for c in api.get(URL, {"is_active": False}).json()["items"]] == ["GB"]
    assert api.get(URL, {"is_active": True}).json()["count"] == 0
    assert api.delete(f"{URL}/{channel_id}").status_code == 204


def test_channel_list_filters(api, dealer, other_dealer):
    make_channel(dealer, code="KA1", kind="ka", name="沃尔玛")
    make_channel(dealer, code="EC1", kind="ecommerce", name="天猫旗舰店")
    make_channel(other_dealer, code="KA9", kind="ka")
    assert [c["code"] for c in api.get(URL).json()["items"]] == ["EC1", "KA1"]
    assert [c["code"] for c in api.get(URL, {"kind": "ka"}).json()["items"]] == ["KA1"]
    assert [c["code"] for c in api.get(URL, {"search": "天猫"}).json()["items"]] == ["EC1"]
    assert api.get(URL, {"kind": "tv"}).status_code == 422


def test_channel_errors(api, dealer):
    make_channel(dealer, code="DUP")
    assert api.post(URL, {"code": "DUP", "name": "x", "kind": "ka"}).status_code == 409
    response = api.post(URL, {"code": "N", "name": "x" * 81, "kind": "ka"})
    assert (response.status_code, response.json()["details"][0]["field"]) == (422, "name")
    assert api.post(URL, {"code": "N", "name": "x", "kind": "ka", "dealer": 1}).status_code == 422


def test_another_dealers_channel_is_404(api, other_dealer):
    channel = make_channel(other_dealer)
    assert api.get(f"{URL}/{channel.pk}").status_code == 404
    response = api.patch(f"{URL}/{channel.pk}", {"name": "mine now"})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api.delete(f"{URL}/{channel.pk}").status_code == 404
    channel.refresh_from_db()
    assert channel.name != "mine now"


def test_sales_rep_reads_channels_but_cannot_create(dealer):
    rep = ApiClient(make_user(dealer, "sales_rep"))
    assert rep.get(URL).status_code == 200
    assert rep.post(URL, {"code": "X", "name": "x", "kind": "ka"}).status_code == 403


def test_manager_can_manage_channels(dealer):
    manager = ApiClient(make_user(dealer, "manager"))
    assert manager.post(URL, {"code": "X", "name": "x", "kind": "ka"}).status_code == 201
