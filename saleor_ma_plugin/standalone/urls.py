"""URLs of the standalone host: Django's login for the dashboard, the plugin's routes at the root.

The login pages come before the plugin's routes, whose ``dashboard/<path>`` would otherwise
hand them to the app. Django's login and logout views protect themselves against CSRF.
"""

from django.contrib.auth import views as auth
from django.urls import include, path
from django.views.decorators.clickjacking import xframe_options_deny

from ..saleor_app import manifest as app_manifest
from ..saleor_app import views as app_views

urlpatterns = [
    path(
        "dashboard/login/",
        xframe_options_deny(
            auth.LoginView.as_view(
                template_name="saleor_ma_dashboard/login.html", redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("dashboard/logout/", auth.LogoutView.as_view(), name="logout"),
    # App mode: Saleor installs the App from this manifest, then sends its token and webhooks.
    path("app/manifest/", app_manifest.manifest_view, name="ma-app-manifest"),
    path("app/register/", app_views.register, name="ma-app-register"),
    path("app/webhook/", app_views.webhook, name="ma-app-webhook"),
    path("", include("saleor_ma_plugin.urls")),
]
