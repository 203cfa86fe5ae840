"""Render every default email template with sample data and screenshot it.

Each template (English and German) is rendered with a plain ``django.template.Engine`` over the
package's template directory and ``saleor_ma_plugin.messaging.samples.sample_context``, written
to a temporary HTML file and photographed with headless Chromium at desktop (800 px) and mobile
(375 px) width. The PNGs go to ``docs/templates/<lang>/<key>-desktop.png`` and ``-mobile.png``.

    apt-get install -y chromium          # once, if /usr/bin/chromium is missing
    pip install pillow                   # optional: crops to the page and shrinks the PNGs
    PYTHONPATH=. python docs/templates/render_screenshots.py [--only KEY ...] [--lang de]
    PYTHONPATH=. python docs/templates/render_screenshots.py --check   # render only, no browser

``--check`` renders every template (full sample data and an empty context), checks that only
the tags and filters the production engine allows are used, and prints the subjects.
Pillow is a tool of this script only, not a dependency of the package.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = ROOT / "saleor_ma_plugin" / "templates"
EMAIL_DIR = TEMPLATES_DIR / "saleor_ma_plugin" / "email"
OUT_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LANGUAGES = ("en", "de")
WIDTHS = {"desktop": 800, "mobile": 375}
MAX_PNG_BYTES = 150_000

ALLOWED_TAGS = {
    "block", "extends", "if", "elif", "else", "for", "empty", "with", "comment", "spaceless",
    "now", "cycle", "firstof", "verbatim",
}  # fmt: skip
ALLOWED_FILTERS = {
    "default", "default_if_none", "date", "floatformat", "upper", "lower", "title",
    "capfirst", "truncatechars", "truncatewords", "linebreaksbr", "length", "first", "last",
    "join", "yesno", "pluralize", "urlencode",
}  # fmt: skip
LAYOUT = "saleor_ma_plugin/email/layout.html"

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")


def setup_django():
    import django

    django.setup()


def template_keys() -> list[str]:
    return sorted(path.stem for path in (EMAIL_DIR / "en").glob("*.html"))


def engine():
    from django.template import Engine

    return Engine(dirs=[str(TEMPLATES_DIR)], autoescape=True)


def render_blocks(template, data: dict) -> dict[str, str]:
    """Render subject, text_body and html_body of a template that extends the layout.

    subject and text_body are plain text, so they are rendered without HTML escaping.
    """
    from django.template import Context
    from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode

    out = {}
    for name, autoescape in (("subject", False), ("text_body", False), ("html_body", True)):
        context = Context(data, autoescape=autoescape)
        with context.render_context.push_state(template), context.bind_template(template):
            block_context = BlockContext()
            context.render_context[BLOCK_CONTEXT_KEY] = block_context
            current = template
            while True:
                extends = current.nodelist.get_nodes_by_type(ExtendsNode)
                if not extends:
                    blocks = current.nodelist.get_nodes_by_type(BlockNode)
                    block_context.add_blocks({node.name: node for node in blocks})
                    break
                block_context.add_blocks(extends[0].blocks)
                current = extends[0].get_parent(context)
            with context.render_context.push_state(current, isolated_context=False):
                block = block_context.get_block(name)
                out[name] = block.render(context).strip() if block else ""
    return out


def render(lang: str, key: str, data: dict | None = None) -> dict[str, str]:
    from django.utils import translation

    from saleor_ma_plugin.messaging.samples import sample_context

    template = engine().get_template(f"saleor_ma_plugin/email/{lang}/{key}.html")
    with translation.override(lang):
        return render_blocks(template, sample_context(lang, key) if data is None else data)


def lint(path: Path) -> list[str]:
    """Tags and filters outside what the production engine allows."""
    from django.template.base import Lexer, TokenType

    problems = []
    ends = {"end" + tag for tag in ALLOWED_TAGS}
    for token in Lexer(path.read_text()).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            tag = bits[0]
            if tag not in ALLOWED_TAGS and tag not in ends:
                problems.append(f"tag {tag!r}")
            if tag == "extends" and bits[1].strip("\"'") != LAYOUT:
                problems.append(f"extends {bits[1]}")
            if tag == "autoescape":
                problems.append("autoescape")
        if token.token_type in (TokenType.BLOCK, TokenType.VAR):
            text = re.sub(r"\"[^\"]*\"|'[^']*'", "", token.contents)
            for name in re.findall(r"\|\s*(\w+)", text):
                if name not in ALLOWED_FILTERS:
                    problems.append(f"filter {name!r}")
    return [f"{path.relative_to(ROOT)}: {problem}" for problem in problems]


def check() -> int:
    setup_django()
    problems = lint(EMAIL_DIR / "layout.html")
    for lang in LANGUAGES:
        for key in template_keys():
            path = EMAIL_DIR / lang / f"{key}.html"
            problems += lint(path)
            full = render(lang, key)
            empty = render(lang, key, {})
            for label, parts in (("sample", full), ("empty", empty)):
                for name in ("subject", "text_body", "html_body"):
                    if not parts[name]:
                        problems.append(f"{lang}/{key} ({label}): empty {name}")
                if "\n\n\n" in parts["text_body"]:
                    problems.append(f"{lang}/{key} ({label}): blank lines pile up in text_body")
                if "\n" in parts["subject"]:
                    problems.append(f"{lang}/{key} ({label}): line break in subject")
            print(f"{lang}/{key}: {full['subject']}")
    for problem in problems:
        print("PROBLEM", problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def chromium_shot(html: Path, png: Path, width: int, height: int, profile: Path) -> None:
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            html.as_uri(),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )


def finish_png(png: Path) -> bool:
    """Crop to the content and shrink; False when the content reaches the bottom edge."""
    try:
        from PIL import Image, ImageChops
    except ImportError:
        return True
    with Image.open(png) as shot:
        image = shot.convert("RGB")
    background = image.getpixel((0, image.height - 1))
    box = ImageChops.difference(image, Image.new("RGB", image.size, background)).getbbox()
    if box and box[3] >= image.height - 2:
        return False
    bottom = min(image.height, (box[3] if box else 0) + 40)
    image = image.crop((0, 0, image.width, bottom))
    for colors in (128, 64, 32):
        image.quantize(colors=colors, dither=Image.Dither.NONE).save(png, optimize=True)
        if png.stat().st_size <= MAX_PNG_BYTES:
            break
    return True


def screenshot(lang: str, key: str, work: Path) -> list[Path]:
    html = work / lang / f"{key}.html"
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text(render(lang, key)["html_body"], encoding="utf-8")
    made = []
    for label, width in WIDTHS.items():
        png = OUT_DIR / lang / f"{key}-{label}.png"
        png.parent.mkdir(parents=True, exist_ok=True)
        profile = Path(tempfile.mkdtemp(prefix="profile-", dir=work))
        height = 3000 if label == "desktop" else 5000
        try:
            while True:
                chromium_shot(html, png, width, height, profile)
                if finish_png(png) or height >= 24000:
                    break
                height *= 2
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        made.append(png)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="render and lint, no screenshots")
    parser.add_argument("--only", nargs="*", help="template keys (default: all)")
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="default: both")
    parser.add_argument("--jobs", type=int, default=4)
    args = parser.parse_args()
    if args.check:
        return check()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found; install it with: apt-get install -y chromium")
    setup_django()
    keys = args.only or template_keys()
    jobs = [(lang, key) for lang in args.lang or LANGUAGES for key in keys]
    with (
        tempfile.TemporaryDirectory(prefix="email-shots-") as tmp,
        ThreadPoolExecutor(max_workers=args.jobs) as pool,
    ):
        results = pool.map(lambda job: screenshot(*job, Path(tmp)), jobs)
        pngs = [png for made in results for png in made]
    total = sum(png.stat().st_size for png in pngs)
    print(f"{len(pngs)} screenshots, {total / 1024:.0f} KiB in {OUT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
