"""The plugin's own routes: served by Saleor under the plugin route and by the standalone host."""

from django.urls import path

from .graphql_api.view import graphql_view
from .messaging import views

urlpatterns = [
    path("graphql/", graphql_view, name="ma-graphql"),
    path("t/o/<str:token>/", views.track_open, name="ma-open"),
    path("t/c/<str:token>/", views.track_click, name="ma-click"),
    path("u/<str:token>/", views.unsubscribe_view, name="ma-unsubscribe"),
    path("p/<str:token>/", views.preferences_view, name="ma-preferences"),
    path("confirm/<str:token>/", views.confirm_view, name="ma-confirm"),
    path("f/<str:token>/", views.feedback_view, name="ma-feedback"),
]
