"""Public endpoints behind the links in messages: pixel, clicks, unsubscribe, preferences, DOI."""

import base64
import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template import Context, Engine
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from ..contacts import ConsentChannel, ConsentMethod, ConsentStatus
from ..contacts.consent import ConsentProof
from ..contacts.models import Consent, Contact, ContactTag
from ..contacts.proof import consent_proof
from ..core.host import allow_writes
from ..events import EventSource, EventType
from ..events.intake import NewEvent, record_events
from .feedback import RATINGS, order_of, parse_feedback, record_feedback
from .links import BadToken, read_click_token, read_contact_token, read_open_token
from .models import Message, NewsletterTopic
from .rendering import TEMPLATE_DIR
from .subscriptions import confirm, mask_email, unsubscribe, update_preferences

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==")
PAGES = Engine(
    dirs=[str(TEMPLATE_DIR)], libraries={"i18n": "django.templatetags.i18n"}, autoescape=True
)


def _proof(request: HttpRequest, method: ConsentMethod) -> ConsentProof:
    """Proof of a decision made on one of our pages: which page, from where."""
    return consent_proof(request, method, source_url=request.build_absolute_uri()[:2000])


def page_language(requested: str | None) -> str:
    """The shipped language closest to ``requested``, else the site's default.

    Pages take the language from a link's ``?lang=``, that is from anyone: each language
    Django activates stays cached in the process, so only languages we ship get activated.
    """
    try:
        return translation.get_supported_language_variant((requested or "")[:16].split("-")[0])
    except LookupError:
        return translation.get_supported_language_variant(settings.LANGUAGE_CODE)


def _page(name: str, language: str, **data) -> HttpResponse:
    language = page_language(language)
    with translation.override(language):
        html = PAGES.get_template(f"saleor_ma_plugin/pages/{name}.html").render(
            Context({**data, "LANGUAGE_CODE": language})
        )
    return HttpResponse(html)


def _engagement(message: Message, event_type: str, key: str, payload: dict) -> None:
    record_events(
        [
            NewEvent(
                event_type,
                timezone.now(),
                key,
                {
                    "contact_id": message.contact_id,
                    "message_id": message.pk,
                    "campaign_id": message.campaign_id,
                    "step_key": message.step_key,
                    **payload,
                },
                EventSource.SYSTEM,
            )
        ]
    )


def track_open(request: HttpRequest, token: str) -> HttpResponse:
    try:
        message_id = read_open_token(token)
    except BadToken:
        return HttpResponse(PIXEL, content_type="image/gif")  # never tell a scanner anything
    with allow_writes():
        message = Message.objects.filter(pk=message_id).first()
        if message is not None and Message.objects.filter(
            pk=message_id, opened_at__isnull=True
        ).update(opened_at=timezone.now()):
            _engagement(
                message, EventType.EMAIL_OPENED, f"{EventType.EMAIL_OPENED}:{message_id}", {}
            )
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


def track_click(request: HttpRequest, token: str) -> HttpResponse:
    try:
        message_id, url, interests = read_click_token(token)
    except BadToken:
        return HttpResponseBadRequest("Invalid link.")
    with allow_writes():
        message = Message.objects.filter(pk=message_id).first()
        if message is not None:
            now = timezone.now()
            Message.objects.filter(pk=message_id, clicked_at__isnull=True).update(clicked_at=now)
            Message.objects.filter(pk=message_id, opened_at__isnull=True).update(opened_at=now)
            ContactTag.objects.bulk_create(
                [
                    ContactTag(contact_id=message.contact_id, name=f"interest:{tag}")
                    for tag in interests
                ],
                ignore_conflicts=True,
            )
            url_key = hashlib.sha256(url.encode()).hexdigest()[:16]
            _engagement(
                message,
                EventType.EMAIL_CLICKED,
                f"{EventType.EMAIL_CLICKED}:{message_id}:{url_key}",
                {"url": url, "interests": list(interests)},
            )
    return HttpResponseRedirect(url)


def _contact_for(token: str):
    try:
        parsed = read_contact_token(token)
    except BadToken:
        return None, None
    return Contact.objects.filter(pk=parsed.contact_id, erased_at__isnull=True).first(), parsed


@csrf_exempt
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation button (link scanners must not unsubscribe anyone);
    POST unsubscribes, including RFC 8058 one-click POSTs from mailbox providers."""
    with allow_writes():
        contact, parsed = _contact_for(token)
        if contact is None:
            return HttpResponseBadRequest("Invalid link.")
        if request.method == "POST":
            one_click = request.POST.get("List-Unsubscribe") == "One-Click"
            method = ConsentMethod.ONE_CLICK if one_click else ConsentMethod.UNSUBSCRIBE_LINK
            unsubscribe(contact, parsed.topic, _proof(request, method), parsed.message_id)
            if one_click:
                return HttpResponse(status=200)
            return _page("unsubscribed", contact.language_code, token=token)
        return _page(
            "unsubscribe", contact.language_code, token=token, email=mask_email(contact.email)
        )


@csrf_exempt
def preferences_view(request: HttpRequest, token: str) -> HttpResponse:
    with allow_writes():
        contact, _ = _contact_for(token)
        if contact is None:
            return HttpResponseBadRequest("Invalid link.")
        topics = list(NewsletterTopic.objects.all())
        saved = False
        if request.method == "POST":
            try:
                pause_days = max(0, min(int(request.POST.get("pause_days") or 0), 365))
            except ValueError:
                return HttpResponseBadRequest("Invalid pause.")
            update_preferences(
                contact,
                email_on=request.POST.get("email") == "on",
                topics={
                    topic.slug: request.POST.get(f"topic-{topic.slug}") == "on" for topic in topics
                },
                pause_days=pause_days,
                proof=_proof(request, ConsentMethod.PREFERENCE_CENTRE),
            )
            contact.refresh_from_db()
            saved = True
        statuses = dict(
            Consent.objects.filter(contact=contact, channel=ConsentChannel.EMAIL).values_list(
                "topic", "status"
            )
        )
        language = page_language(contact.language_code)
        return _page(
            "preferences",
            language,
            token=token,
            email=mask_email(contact.email),
            saved=saved,
            email_on=statuses.get("") == ConsentStatus.SUBSCRIBED,
            paused_until=contact.marketing_paused_until,
            topics=[
                {
                    "slug": t.slug,
                    "name": t.name_in(language),
                    "on": statuses.get(t.slug) == ConsentStatus.SUBSCRIBED,
                }
                for t in topics
            ],
        )


@csrf_exempt
def feedback_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the stars (the one chosen in the mail preselected; scanners follow links,
    so a GET records nothing); POST records the rating once per message."""
    with allow_writes():
        contact, parsed = _contact_for(token)
        message = (
            Message.objects.filter(pk=parsed.message_id, contact=contact).first()
            if contact is not None and parsed.message_id
            else None
        )
        if message is None:
            return HttpResponseBadRequest("Invalid link.")
        if request.method == "POST":
            feedback = parse_feedback(request.POST.get("rating"), request.POST.get("comment"))
            if feedback is not None:
                recorded = record_feedback(message, feedback)
                return _page("feedback_thanks", contact.language_code, already=not recorded)
        chosen = parse_feedback(request.GET.get("rating"), "")
        return _page(
            "feedback",
            contact.language_code,
            ratings=list(RATINGS),
            chosen=chosen.rating if chosen else None,
            invalid=request.method == "POST",
            order_number=order_of(message)["order_number"],
        )


def confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    with allow_writes():
        contact = confirm(token, _proof(request, ConsentMethod.DOUBLE_OPT_IN))
    if contact is None:
        return _page("confirm_failed", request.GET.get("lang", "en"))
    return _page("confirmed", contact.language_code)
