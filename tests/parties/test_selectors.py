import pytest

from qudao.accounts.models import Role
from qudao.core.errors import NotFound
from qudao.core.scoping import build_actor
from qudao.parties import selectors
from tests.factories import make_brand, make_dealership, make_site, make_user
from tests.parties.factories import make_address, make_contact, make_customer, make_customer_group


def codes(qs):
    return [c.code for c in qs]


class TestList:
    def test_filters(self, actor, dealer, group, channel, sales_rep, regions):
        province, city, district = regions
        a = make_customer(
            dealer, code="A", customer_group=group, channel=channel, region=district, tags=["VIP"]
        )
        b = make_customer(
            dealer, code="B", kind="individual", sales_rep=sales_rep, region=city, status="blocked"
        )
        c = make_customer(dealer, code="C", business_type="ka_chain", tags=["VIP", "福州"])

        def ls(**kw):
            return codes(selectors.list_customers(actor=actor, **kw))

        assert ls() == ["A", "B", "C"]
        assert ls(kind="individual") == ["B"]
        assert ls(business_type="ka_chain") == ["C"]
        assert ls(group=group.pk) == ["A"]
        assert ls(channel=channel.pk) == ["A"]
        assert ls(sales_rep=sales_rep.pk) == ["B"]
        assert ls(status="blocked") == ["B"]
        assert ls(region=province.pk) == ["A", "B"]
        assert ls(region=city.pk) == ["A", "B"]
        assert ls(region=district.pk) == ["A"]
        assert ls(tag="VIP") == ["A", "C"]
        assert ls(tag="福州") == ["C"]
        assert ls(tag="VI") == []
        assert ls(ordering="-code") == ["C", "B", "A"]
        assert {a.pk, b.pk, c.pk} == set(selectors.list_customers(actor=actor).values_list("pk", flat=True))

    def test_search_by_code_name_phone_and_tag(self, actor, dealer):
        a = make_customer(dealer, code="KA-001", name="永辉超市")
        b = make_customer(dealer, code="W-002", name="福州批发部", mobile="13912345678")
        c = make_customer(dealer, code="W-003", name="便利店", tags=["社区团购"])
        make_contact(c, phone="021-55556666")
        make_customer(dealer, code="Z-9", name="无关")

        def find(text):
            return codes(selectors.list_customers(actor=actor, search=text))

        assert find("ka-0") == [a.code]
        assert find("批发") == [b.code]
        assert find("139 1234") == [b.code]
        assert find("5555") == [c.code]
        assert find("社区团购") == [c.code]

    def test_other_dealers_customers_are_invisible(self, actor, dealer, other_dealer):
        make_customer(dealer, code="MINE")
        theirs = make_customer(other_dealer, code="THEIRS")
        assert codes(selectors.list_customers(actor=actor)) == ["MINE"]
        with pytest.raises(NotFound):
            selectors.get_customer(actor=actor, customer_id=theirs.pk)

    def test_site_limited_user_sees_its_sites_and_unassigned(self, dealer):
        north, south = make_site(dealer), make_site(dealer)
        make_customer(dealer, code="N", home_site=north)
        make_customer(dealer, code="S", home_site=south)
        make_customer(dealer, code="ANY")
        rep = build_actor(make_user(dealer, Role.SALES_REP, sites=[north]))
        assert codes(selectors.list_customers(actor=rep)) == ["ANY", "N"]
        s = make_customer(dealer, code="S2", home_site=south)
        with pytest.raises(NotFound):
            selectors.get_customer(actor=rep, customer_id=s.pk)
        contact = make_contact(s)
        with pytest.raises(NotFound):
            selectors.get_contact(actor=rep, customer_id=s.pk, contact_id=contact.pk)

    def test_brand_reads_its_dealers_customers_but_cannot_write(self, dealer):
        brand = make_brand()
        make_dealership(brand, dealer)
        customer = make_customer(dealer, code="SHARED")
        brand_actor = build_actor(make_user(brand, Role.BRAND_MANAGER))
        assert codes(selectors.list_customers(actor=brand_actor)) == ["SHARED"]
        with pytest.raises(NotFound):
            selectors.get_customer(actor=brand_actor, customer_id=customer.pk, for_write=True)


def test_customer_360_in_three_queries(actor, dealer, django_assert_num_queries):
    customer = make_customer(dealer)
    for i in range(3):
        make_contact(customer, is_primary=i == 1)
    make_address(customer, kind="billing")
    shipping = make_address(customer, kind="shipping", is_default=True)
    make_address(customer, kind="shipping")
    with django_assert_num_queries(3):
        header = selectors.get_customer_360(actor=actor, customer_id=customer.pk)
        assert header.code == customer.code
        assert header.counts.contacts == 3 and header.counts.addresses == 3
        assert header.counts.shipping_addresses == 2
        assert header.primary_contact_id == header.contacts[0].pk
        assert header.default_shipping_address_id == shipping.pk


def test_groups_are_scoped_and_searchable(actor, dealer, other_dealer):
    make_customer_group(dealer, code="KA", name="重点客户")
    make_customer_group(dealer, code="SMALL", name="小店")
    make_customer_group(other_dealer, code="KA2", name="重点客户")
    assert codes(selectors.list_customer_groups(actor=actor)) == ["KA", "SMALL"]
    assert codes(selectors.list_customer_groups(actor=actor, search="重点")) == ["KA"]
