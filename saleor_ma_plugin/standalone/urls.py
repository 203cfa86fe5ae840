"""URLs of the standalone host; the API and tracking routes join here as they arrive."""

urlpatterns: list = []
