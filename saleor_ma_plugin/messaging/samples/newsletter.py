"""Editorial content of the sample newsletter and one-off mailing, in each language."""

from .catalogue import STOREFRONT
from .pictures import hero_image

#: (language, one-off mailing?) -> the content block's texts.
CONTENT = {
    ("de", True): {
        "headline": "Unsere Frühlingsröstung ist da",
        "intro": "Ab heute gibt es eine kleine Menge unserer neuen Röstung: fruchtig, "
        "hell und nur so lange der Vorrat reicht.",
        "body_paragraphs": [
            "Die Bohnen stammen von einer Kooperative im Hochland von Kolumbien, mit "
            "der wir seit drei Jahren zusammenarbeiten. In der Tasse erwarten dich "
            "Noten von roter Johannisbeere, Rohrzucker und Orangenschale.",
            "Am besten entfaltet sie sich im Handfilter: 15 g Kaffee auf 250 ml "
            "Wasser bei etwa 94 °C.",
        ],
        "cta_label": "Frühlingsröstung entdecken",
        "cta_url": f"{STOREFRONT}/de/collections/fruehling",
    },
    ("de", False): {
        "headline": "Drei Wege zum besseren Filterkaffee",
        "intro": "Diesmal im Newsletter: kleine Handgriffe mit großer Wirkung, eine neue "
        "Herkunft im Sortiment und ein Blick in unsere Rösterei.",
        "body_paragraphs": [
            "Mahle frisch und etwas gröber, als du denkst: Läuft der Filter zu langsam, "
            "wird der Kaffee schnell bitter. Eine Körnung wie grobes Meersalz ist ein "
            "guter Startpunkt.",
            "Spüle das Papier vorher mit heißem Wasser. So schmeckst du den Kaffee und "
            "nicht das Papier.",
            "Gönn dem Kaffeemehl 30 Sekunden zum Aufblühen, bevor du den Rest des "
            "Wassers in ruhigen Kreisen aufgießt.",
        ],
        "cta_label": "Alle Brühtipps lesen",
        "cta_url": f"{STOREFRONT}/de/journal/filterkaffee",
    },
    ("en", True): {
        "headline": "Our spring roast has landed",
        "intro": "Starting today we have a small batch of our new roast: bright, fruity and "
        "available only while it lasts.",
        "body_paragraphs": [
            "The beans come from a cooperative in the Colombian highlands we have worked "
            "with for three years. Expect notes of redcurrant, cane sugar and orange zest.",
            "It shines as a pour-over: 15 g of coffee to 250 ml of water at about 94 °C.",
        ],
        "cta_label": "Discover the spring roast",
        "cta_url": f"{STOREFRONT}/en/collections/spring",
    },
    ("en", False): {
        "headline": "Three ways to a better filter coffee",
        "intro": "In this issue: small habits that make a big difference, a new origin on our "
        "shelves and a look inside our roastery.",
        "body_paragraphs": [
            "Grind fresh, and a little coarser than you think: if the water drains too "
            "slowly, the cup turns bitter. Coarse sea salt is a good starting point.",
            "Rinse the paper filter with hot water first, so you taste the coffee and not "
            "the paper.",
            "Give the grounds 30 seconds to bloom before pouring the rest of the water in "
            "slow, steady circles.",
        ],
        "cta_label": "Read all brewing tips",
        "cta_url": f"{STOREFRONT}/en/journal/filter-coffee",
    },
}


def newsletter_content(lang: str, one_off: bool) -> dict:
    return {**CONTENT[(lang, one_off)], "hero_image_url": hero_image()}
