"""Product and header pictures for previews, drawn as inline SVG: no other host is contacted."""

import base64

_FONT = "-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif"


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _bag(bg: str, body: str, label: str) -> str:
    return (
        f'<rect width="400" height="400" fill="{bg}"/>'
        '<ellipse cx="200" cy="338" rx="110" ry="14" fill="#000" opacity=".08"/>'
        f'<path d="M120 110 L280 110 L296 330 L104 330 Z" fill="{body}"/>'
        f'<path d="M120 110 L280 110 L284 150 L116 150 Z" fill="#000" opacity=".12"/>'
        f'<rect x="112" y="92" width="176" height="22" rx="4" fill="{body}"/>'
        f'<circle cx="200" cy="235" r="52" fill="{label}"/>'
        f'<path d="M200 205 C180 222 180 248 200 265 C220 248 220 222 200 205 Z" fill="{body}"/>'
        f'<path d="M200 210 C194 228 206 242 200 260" stroke="{label}" stroke-width="4" '
        'fill="none"/>'
    )


def _cup(bg: str, body: str, label: str) -> str:
    return (
        f'<rect width="400" height="400" fill="{bg}"/>'
        f'<ellipse cx="200" cy="310" rx="120" ry="22" fill="{label}"/>'
        f'<path d="M118 170 L282 170 L268 290 Q200 312 132 290 Z" fill="{body}"/>'
        f'<path d="M280 190 Q330 190 326 228 Q322 262 272 262" stroke="{body}" '
        'stroke-width="14" fill="none"/>'
        '<ellipse cx="200" cy="170" rx="82" ry="12" fill="#000" opacity=".18"/>'
        f'<path d="M170 140 C160 120 182 108 172 86 M200 140 C190 118 212 106 202 80 '
        f'M230 140 C220 120 242 108 232 86" stroke="{body}" stroke-width="6" '
        'stroke-linecap="round" fill="none" opacity=".45"/>'
    )


def _dripper(bg: str, body: str, label: str) -> str:
    return (
        f'<rect width="400" height="400" fill="{bg}"/>'
        '<ellipse cx="200" cy="336" rx="100" ry="12" fill="#000" opacity=".08"/>'
        f'<path d="M110 110 L290 110 L236 230 L164 230 Z" fill="{body}"/>'
        f'<rect x="96" y="100" width="208" height="16" rx="8" fill="{body}"/>'
        f'<rect x="150" y="230" width="100" height="14" rx="4" fill="{body}"/>'
        f'<path d="M160 250 L240 250 L252 330 L148 330 Z" fill="{label}"/>'
        f'<path d="M200 246 L200 290" stroke="{body}" stroke-width="5" opacity=".5"/>'
    )


def _grinder(bg: str, body: str, label: str) -> str:
    return (
        f'<rect width="400" height="400" fill="{bg}"/>'
        '<ellipse cx="200" cy="336" rx="96" ry="12" fill="#000" opacity=".08"/>'
        f'<rect x="136" y="180" width="128" height="150" rx="10" fill="{body}"/>'
        f'<rect x="150" y="130" width="100" height="56" rx="8" fill="{label}"/>'
        f'<rect x="192" y="96" width="16" height="40" fill="{body}"/>'
        f'<path d="M200 100 L290 80" stroke="{body}" stroke-width="10" stroke-linecap="round"/>'
        f'<circle cx="292" cy="80" r="14" fill="{label}"/>'
        f'<circle cx="200" cy="260" r="10" fill="{label}"/>'
    )


def _beans(bg: str, body: str, label: str) -> str:
    beans = "".join(
        f'<g transform="translate({x} {y}) rotate({r})">'
        f'<ellipse rx="34" ry="24" fill="{body}"/>'
        f'<path d="M-28 0 C-10 -10 10 10 28 0" stroke="{label}" stroke-width="4" fill="none"/>'
        "</g>"
        for x, y, r in (
            (150, 170, -20),
            (250, 160, 25),
            (200, 240, 5),
            (130, 270, 40),
            (270, 260, -35),
        )
    )
    return f'<rect width="400" height="400" fill="{bg}"/>' + beans


_DRAWINGS = {
    "bag": _bag,
    "cup": _cup,
    "dripper": _dripper,
    "grinder": _grinder,
    "beans": _beans,
}


def product_image(
    kind: str, bg: str = "#efe6da", body: str = "#6b4a32", label: str = "#f7f1e8"
) -> str:
    """A square product picture as an SVG data URI."""
    inner = _DRAWINGS[kind](bg, body, label)
    return _svg_uri(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" '
        f'width="400" height="400">{inner}</svg>'
    )


def hero_image(title: str = "") -> str:
    """A wide header picture (2:1) as an SVG data URI."""
    text = ""
    if title:
        text = (
            f'<text x="80" y="318" font-family="{_FONT}" font-size="64" font-weight="700" '
            f'fill="#fbf6ef">{_xml_escape(title)}</text>'
        )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 600" width="1200" '
        'height="600"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
        '<stop offset="0" stop-color="#8a5a3c"/><stop offset="1" stop-color="#3b2a20"/>'
        '</linearGradient></defs><rect width="1200" height="600" fill="url(#g)"/>'
        '<circle cx="930" cy="300" r="210" fill="#f3e7d7" opacity=".12"/>'
        '<ellipse cx="900" cy="450" rx="190" ry="30" fill="#1f1510" opacity=".35"/>'
        '<path d="M770 250 L1030 250 L1008 420 Q900 456 792 420 Z" fill="#f3e7d7"/>'
        '<path d="M1026 280 Q1100 280 1094 336 Q1088 390 1012 390" stroke="#f3e7d7" '
        'stroke-width="20" fill="none"/>'
        '<ellipse cx="900" cy="250" rx="130" ry="18" fill="#5a3b28"/>'
        '<path d="M860 210 C845 180 878 160 862 126 M905 210 C890 176 923 156 907 116 '
        'M950 210 C935 180 968 160 952 126" stroke="#f3e7d7" stroke-width="9" '
        'stroke-linecap="round" fill="none" opacity=".5"/>'
        f"{text}</svg>"
    )
    return _svg_uri(svg)


def _xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
