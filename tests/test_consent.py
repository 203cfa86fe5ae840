import pytest

from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent, has_consent, hash_token
from saleor_ma_plugin.contacts.models import ConsentEvent, Contact

pytestmark = pytest.mark.django_db

SIGNUP = ConsentProof(
    ConsentMethod.FORM,
    ip_address="203.0.113.9",
    user_agent="Mozilla/5.0",
    source_url="https://shop.example.com/newsletter",
    wording="Yes, send me the newsletter. I can unsubscribe at any time.",
    language_code="en",
)


@pytest.fixture
def contact():
    return Contact.objects.create(email="anna@example.com")


def test_double_opt_in_request_stores_only_a_token_digest_and_the_proof(contact):
    # when
    consent = change_consent(
        contact, ConsentChannel.EMAIL, ConsentStatus.PENDING, SIGNUP, confirmation_token="t0k3n"
    )

    # then
    assert consent.status == ConsentStatus.PENDING
    assert consent.confirmation_token_hash == hash_token("t0k3n")
    assert "t0k3n" not in consent.confirmation_token_hash
    log = ConsentEvent.objects.get()
    assert (log.previous_status, log.new_status, log.method) == ("unsubscribed", "pending", "form")
    assert (log.ip_address, log.wording) == ("203.0.113.9", SIGNUP.wording)
    assert has_consent(contact, ConsentChannel.EMAIL) is False


def test_confirmation_subscribes_and_clears_the_token(contact):
    # given
    change_consent(contact, ConsentChannel.EMAIL, ConsentStatus.PENDING, SIGNUP, "t0k3n")

    # when
    consent = change_consent(
        contact,
        ConsentChannel.EMAIL,
        ConsentStatus.SUBSCRIBED,
        ConsentProof(ConsentMethod.DOUBLE_OPT_IN, ip_address="198.51.100.4"),
    )

    # then
    assert consent.status == ConsentStatus.SUBSCRIBED
    assert consent.confirmation_token_hash == ""
    assert consent.confirmed_at is not None
    assert ConsentEvent.objects.count() == 2
    assert has_consent(contact, ConsentChannel.EMAIL) is True
    assert has_consent(contact, ConsentChannel.SMS) is False


def test_topic_needs_both_channel_and_topic_consent(contact):
    # given
    change_consent(contact, ConsentChannel.EMAIL, ConsentStatus.SUBSCRIBED, SIGNUP, topic="deals")

    # then
    assert has_consent(contact, ConsentChannel.EMAIL, topic="deals") is False

    # when
    change_consent(contact, ConsentChannel.EMAIL, ConsentStatus.SUBSCRIBED, SIGNUP)

    # then
    assert has_consent(contact, ConsentChannel.EMAIL, topic="deals") is True
    assert has_consent(contact, ConsentChannel.EMAIL, topic="recipes") is False


def test_consent_log_is_append_only(contact):
    # given
    change_consent(contact, ConsentChannel.EMAIL, ConsentStatus.SUBSCRIBED, SIGNUP)
    log = ConsentEvent.objects.get()

    # when / then
    log.wording = "something else"
    with pytest.raises(TypeError):
        log.save()
    with pytest.raises(TypeError):
        ConsentEvent.objects.update(wording="rewritten")
    assert ConsentEvent.objects.get().wording == SIGNUP.wording
