"""The demo shop's journal: editorial pages its newsletter's content feed shows."""

from datetime import datetime, timedelta

from ..catalogue.models import CataloguePage

#: The newsletter preset's parameters in the demo: an intro and the journal's latest pages.
NEWSLETTER_CONTENT = {
    "intro": {
        "en": "<p>Spring is here, and so are our <strong>new single origins</strong>.</p>",
        "de": "<p>Der Frühling ist da, mit ihm unsere <strong>neuen Single Origins</strong>.</p>",
    },
    "page_type": "journal",
}
PAGES = [
    (
        "cold-brew-guide",
        ("Cold brew in four steps", "Coarse grind, cold water, patience: our recipe."),
        ("Cold Brew in vier Schritten", "Grob gemahlen, kaltes Wasser, Geduld: unser Rezept."),
    ),
    (
        "origin-trip-ethiopia",
        ("Our trip to Yirgacheffe", "How the beans of our spring espresso are grown."),
        ("Unsere Reise nach Yirgacheffe", "Wie die Bohnen unseres Frühlingsespressos wachsen."),
    ),
    (
        "grinder-care",
        ("Keep your grinder happy", "Five minutes of cleaning a month, years of good coffee."),
        ("Pflege für die Mühle", "Fünf Minuten Reinigung im Monat, jahrelang guter Kaffee."),
    ),
]


def add_journal(start: datetime) -> None:
    """Three journal pages, published in the days before the demo month."""
    for number, (slug, (title, summary), (title_de, summary_de)) in enumerate(PAGES):
        CataloguePage.objects.create(
            page_id=f"journal-{number}",
            page_type="journal",
            slug=slug,
            title=title,
            summary=summary,
            published_at=start - timedelta(days=3 * number + 1),
            translations={"de": {"title": title_de, "summary": summary_de}},
        )
