"""The legal part of every email's footer: the sender's imprint and, for mail sent on the
existing-customer exemption (§ 7 (3) UWG), the notice that the reader may object.

The shared layout prints both (``shop.imprint``, ``texts.imprint``, ``texts.objection``) in
a cell marked ``data-legal-footer``. A template that does not use the layout, or replaces
its body, gets the same lines added before ``</body>``; the text part gets them appended
unless the template already wrote them. So no email leaves without them, whatever an admin
changed in a template.
"""

import re
from functools import lru_cache

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from .rendering import RenderedEmail

MARK = "data-legal-footer"
BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


@lru_cache(maxsize=64)
def legal_texts(language: str, objection: bool) -> dict[str, str]:
    """The footer's labels in the reader's language (``texts.*`` of the template context).

    Asked once per message of a batch: the catalogue lookup is done once per language
    (callers copy the dict, never change it)."""
    with translation.override(language):
        texts = {"imprint": _("Imprint")}
        if objection:
            texts["objection"] = _(
                "You get this email because you bought from us. You can object to emails "
                "like this at any time, at no cost other than the basic rates of "
                "transmission: use the unsubscribe link."
            )
    return texts


def add_to_context(data: dict, imprint: str, language: str, objection: bool) -> None:
    """Put the imprint and the footer's texts where the layout reads them."""
    data["shop"] = {**data.get("shop", {}), "imprint": imprint}
    data["texts"] = {**data.get("texts", {}), **legal_texts(language, objection)}


def with_legal_footer(rendered: RenderedEmail, data: dict) -> RenderedEmail:
    """The email with the imprint and objection notice wherever the template left them out."""
    imprint, texts = data["shop"].get("imprint", ""), data["texts"]
    objection = texts.get("objection", "")
    if not (imprint or objection):
        return rendered
    # The layout writes the footer last: searched from the end, it is found at once.
    text = rendered.text
    if objection and text.rfind(objection) < 0:
        text = f"{text.rstrip()}\n\n{objection}"
    if imprint and text.rfind(imprint) < 0:
        text = f"{text.rstrip()}\n\n{texts['imprint']}\n{imprint}"
    text, html = text.strip(), rendered.html
    if html and html.rfind(MARK) < 0:
        paragraphs = [objection] if objection else []
        if imprint:
            paragraphs.append(f"{texts['imprint']}\n{imprint}")
        block = (
            f'<div {MARK} style="padding:16px;font-size:12px;line-height:18px;color:#75706a;">'
            + "".join(
                f'<p style="margin:0 0 8px;">{escape(paragraph).replace(chr(10), "<br>")}</p>'
                for paragraph in paragraphs
            )
            + "</div>"
        )
        ends = list(BODY_END.finditer(html))
        at = ends[-1].start() if ends else len(html)
        html = html[:at] + block + html[at:]
    return RenderedEmail(rendered.subject, text, html)
