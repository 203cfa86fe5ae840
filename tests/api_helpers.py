"""Posting operations to the API endpoint like any client would."""

import json

from django.contrib.auth.models import Permission, User


def post(client, query: str, variables: dict | None = None) -> dict:
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def staff(client, *permissions: str):
    """Log a staff user with our permissions (codenames like "manage_marketing") in."""
    user = User.objects.create_user("staff@example.com", "staff@example.com", "x", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return user
