"""/api/v1/alerts: the alert center's list, detail, acknowledge and resolve, and badge counts."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from qudao.alerts import selectors, services
from qudao.alerts.schemas import AlertCountsOut, AlertFilters, AlertOut, AlertResolveIn
from qudao.core.api import ErrorOut, Paginated, api_actor

router = Router()
APP = "alerts"
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get(
    "",
    response=list[AlertOut],
    summary="List alerts (filters: status, severity, kind, site, since, live; ordering)",
)
@paginate(Paginated)
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]):
    actor = api_actor(request, app=APP, perm="alerts.view_alert")
    return selectors.list_alerts(actor=actor, **filters.model_dump())


@router.get(
    "/counts",
    response={200: AlertCountsOut, **ERRORS},
    summary="Count live alerts by severity (for a badge)",
)
def count_alerts(request: HttpRequest):
    actor = api_actor(request, app=APP, perm="alerts.view_alert")
    return selectors.count_alerts(actor=actor)


@router.get("/{alert_id}", response={200: AlertOut, **ERRORS}, summary="Get an alert")
def get_alert(request: HttpRequest, alert_id: int):
    actor = api_actor(request, app=APP, perm="alerts.view_alert")
    return selectors.get_alert(actor=actor, alert_id=alert_id)


@router.post(
    "/{alert_id}/acknowledge",
    response={200: AlertOut, **ERRORS},
    summary="Acknowledge an alert (someone is on it)",
)
def acknowledge_alert(request: HttpRequest, alert_id: int):
    actor = api_actor(request, app=APP, write=True, perm="alerts.change_alert")
    alert = selectors.get_alert(actor=actor, alert_id=alert_id, for_write=True)
    return services.acknowledge_alert(actor=actor, alert=alert)


@router.post(
    "/{alert_id}/resolve",
    response={200: AlertOut, **ERRORS},
    summary="Resolve an alert by hand (with an optional note)",
)
def resolve_alert(request: HttpRequest, alert_id: int, payload: AlertResolveIn):
    actor = api_actor(request, app=APP, write=True, perm="alerts.change_alertresolution")
    alert = selectors.get_alert(actor=actor, alert_id=alert_id, for_write=True)
    return services.resolve_alert(actor=actor, alert=alert, note=payload.note)
