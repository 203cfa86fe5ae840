"""URLs of the standalone host: the plugin's routes at the root."""

from django.urls import include, path

urlpatterns = [path("", include("saleor_ma_plugin.urls"))]
