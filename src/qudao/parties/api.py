"""/api/v1/parties: customer groups, customers (with contacts and addresses), status changes."""

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from qudao.core.api import ErrorOut, Paginated, api_actor
from qudao.parties import selectors, services
from qudao.parties.models import BusinessType, CustomerKind
from qudao.parties.schemas import (
    AddressIn,
    AddressOut,
    AddressPatch,
    ContactIn,
    ContactOut,
    ContactPatch,
    CustomerDetailOut,
    CustomerGroupIn,
    CustomerGroupOut,
    CustomerGroupPatch,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    CustomerStatusIn,
)
from qudao.parties.states import CustomerStatus

router = Router()
APP = "parties"
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- customer groups ---------------------------------------------------------------------------------


@router.get("/customer-groups", response=list[CustomerGroupOut], summary="List customer groups")
@paginate(Paginated)
def list_customer_groups(request: HttpRequest, search: str | None = None, ordering: str | None = None):
    actor = api_actor(request, app=APP, perm="parties.view_customergroup")
    return selectors.list_customer_groups(actor=actor, search=search, ordering=ordering)


@router.post(
    "/customer-groups", response={201: CustomerGroupOut, **ERRORS}, summary="Create a customer group"
)
def create_customer_group(request: HttpRequest, payload: CustomerGroupIn):
    actor = api_actor(request, app=APP, write=True, perm="parties.add_customergroup")
    return Status(201, services.create_customer_group(actor=actor, data=payload.model_dump()))


@router.get(
    "/customer-groups/{group_id}", response={200: CustomerGroupOut, **ERRORS}, summary="Get a customer group"
)
def get_customer_group(request: HttpRequest, group_id: int):
    actor = api_actor(request, app=APP, perm="parties.view_customergroup")
    return selectors.get_customer_group(actor=actor, group_id=group_id)


@router.patch(
    "/customer-groups/{group_id}",
    response={200: CustomerGroupOut, **ERRORS},
    summary="Change a customer group",
)
def update_customer_group(request: HttpRequest, group_id: int, payload: CustomerGroupPatch):
    actor = api_actor(request, app=APP, write=True, perm="parties.change_customergroup")
    group = selectors.get_customer_group(actor=actor, group_id=group_id, for_write=True)
    return services.update_customer_group(
        actor=actor, group=group, data=payload.model_dump(exclude_unset=True)
    )


# --- customers ---------------------------------------------------------------------------------------


class CustomerFilters(Schema):
    kind: CustomerKind | None = None
    business_type: BusinessType | None = None
    group: int | None = None
    channel: int | None = None
    sales_rep: int | None = None
    region: int | None = None
    home_site: int | None = None
    status: CustomerStatus | None = None
    tag: str | None = None
    search: str | None = None
    ordering: str | None = None


@router.get(
    "/customers",
    response=list[CustomerOut],
    summary="List customers (filters; search by code, name, phone or tag; region includes sub-regions)",
)
@paginate(Paginated)
def list_customers(request: HttpRequest, filters: Query[CustomerFilters]):
    actor = api_actor(request, app=APP, perm="parties.view_customer")
    return selectors.list_customers(actor=actor, **filters.model_dump())


@router.post(
    "/customers",
    response={201: CustomerDetailOut, **ERRORS},
    summary="Create a customer, with its contacts and addresses (all or nothing)",
)
def create_customer(request: HttpRequest, payload: CustomerIn):
    actor = api_actor(request, app=APP, write=True, perm="parties.add_customer")
    customer = services.create_customer(actor=actor, data=payload.model_dump())
    return Status(201, selectors.get_customer_360(actor=actor, customer_id=customer.pk))


@router.get(
    "/customers/{customer_id}",
    response={200: CustomerDetailOut, **ERRORS},
    summary="Get a customer with its contacts, addresses and counts",
)
def get_customer(request: HttpRequest, customer_id: int):
    actor = api_actor(request, app=APP, perm="parties.view_customer")
    return selectors.get_customer_360(actor=actor, customer_id=customer_id)


@router.patch(
    "/customers/{customer_id}",
    response={200: CustomerDetailOut, **ERRORS},
    summary="Change a customer (send the version you read; a stale one answers 409)",
)
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerPatch):
    actor = api_actor(request, app=APP, write=True, perm="parties.change_customer")
    customer = selectors.get_customer(actor=actor, customer_id=customer_id, for_write=True)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    services.update_customer(actor=actor, customer=customer, data=data, version=version)
    return selectors.get_customer_360(actor=actor, customer_id=customer_id)


@router.post(
    "/customers/{customer_id}/status",
    response={200: CustomerOut, **ERRORS},
    summary="Move a customer to another status (prospect → active ⇄ blocked, any → archived)",
)
def change_customer_status(request: HttpRequest, customer_id: int, payload: CustomerStatusIn):
    actor = api_actor(request, app=APP, write=True, perm="parties.change_customer")
    customer = selectors.get_customer(actor=actor, customer_id=customer_id, for_write=True)
    return services.change_customer_status(
        actor=actor, customer=customer, to=payload.to, reason=payload.reason, version=payload.version
    )


# --- contacts ----------------------------------------------------------------------------------------


@router.post(
    "/customers/{customer_id}/contacts", response={201: ContactOut, **ERRORS}, summary="Add a contact"
)
def add_contact(request: HttpRequest, customer_id: int, payload: ContactIn):
    actor = api_actor(request, app=APP, write=True, perm="parties.add_contact")
    customer = selectors.get_customer(actor=actor, customer_id=customer_id, for_write=True)
    return Status(201, services.add_contact(actor=actor, customer=customer, data=payload.model_dump()))


@router.patch(
    "/customers/{customer_id}/contacts/{contact_id}",
    response={200: ContactOut, **ERRORS},
    summary="Change a contact",
)
def update_contact(request: HttpRequest, customer_id: int, contact_id: int, payload: ContactPatch):
    actor = api_actor(request, app=APP, write=True, perm="parties.change_contact")
    contact = selectors.get_contact(
        actor=actor, customer_id=customer_id, contact_id=contact_id, for_write=True
    )
    return services.update_contact(actor=actor, contact=contact, data=payload.model_dump(exclude_unset=True))


@router.delete(
    "/customers/{customer_id}/contacts/{contact_id}",
    response={204: None, **ERRORS},
    summary="Delete a contact",
)
def delete_contact(request: HttpRequest, customer_id: int, contact_id: int):
    actor = api_actor(request, app=APP, write=True, perm="parties.delete_contact")
    contact = selectors.get_contact(
        actor=actor, customer_id=customer_id, contact_id=contact_id, for_write=True
    )
    services.delete_contact(actor=actor, contact=contact)
    return Status(204, None)


# --- addresses ---------------------------------------------------------------------------------------


@router.post(
    "/customers/{customer_id}/addresses",
    response={201: AddressOut, **ERRORS},
    summary="Add an address (without coordinates it takes its region's)",
)
def add_address(request: HttpRequest, customer_id: int, payload: AddressIn):
    actor = api_actor(request, app=APP, write=True, perm="parties.add_address")
    customer = selectors.get_customer(actor=actor, customer_id=customer_id, for_write=True)
    return Status(
        201, services.add_address(actor=actor, customer=customer, data=payload.model_dump(exclude_unset=True))
    )


@router.patch(
    "/customers/{customer_id}/addresses/{address_id}",
    response={200: AddressOut, **ERRORS},
    summary="Change an address",
)
def update_address(request: HttpRequest, customer_id: int, address_id: int, payload: AddressPatch):
    actor = api_actor(request, app=APP, write=True, perm="parties.change_address")
    address = selectors.get_address(
        actor=actor, customer_id=customer_id, address_id=address_id, for_write=True
    )
    return services.update_address(actor=actor, address=address, data=payload.model_dump(exclude_unset=True))


@router.delete(
    "/customers/{customer_id}/addresses/{address_id}",
    response={204: None, **ERRORS},
    summary="Delete an address",
)
def delete_address(request: HttpRequest, customer_id: int, address_id: int):
    actor = api_actor(request, app=APP, write=True, perm="parties.delete_address")
    address = selectors.get_address(
        actor=actor, customer_id=customer_id, address_id=address_id, for_write=True
    )
    services.delete_address(actor=actor, address=address)
    return Status(204, None)
