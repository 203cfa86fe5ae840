"""The plugin's own routes: served by Saleor under the plugin route and by the standalone host."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .dashboard import views as dashboard
from .graphql_api.view import graphql_view
from .messaging import views
from .privacy import views as privacy


@csrf_exempt
def api(request: HttpRequest):
    """The API: operations are POSTed; a GET on a development host (DEBUG) opens GraphiQL."""
    if request.method == "GET" and settings.DEBUG:
        return dashboard.graphiql(request)
    return graphql_view(request)


urlpatterns = [
    path("graphql/", api, name="ma-graphql"),
    path("t/o/<str:token>/", views.track_open, name="ma-open"),
    path("t/c/<str:token>/", views.track_click, name="ma-click"),
    path("u/<str:token>/", views.unsubscribe_view, name="ma-unsubscribe"),
    path("p/<str:token>/", views.preferences_view, name="ma-preferences"),
    path("confirm/<str:token>/", views.confirm_view, name="ma-confirm"),
    path("f/<str:token>/", views.feedback_view, name="ma-feedback"),
    path("privacy/export/<str:token>/", privacy.export_download, name="ma-privacy-export"),
    path("manifest/", dashboard.manifest, name="ma-manifest"),
    path("dashboard/", dashboard.dashboard_app, name="ma-dashboard"),
    path("dashboard/<path:path>", dashboard.dashboard_app, name="ma-dashboard-path"),
]
