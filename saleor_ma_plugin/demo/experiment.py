"""The demo's post-purchase upsell as an A/B test with a holdout, so its report has both.

The preset's flow (wait, then the upsell email) gains a split between two emails and keeps
15 % of buyers as a holdout that receives nothing; the split names a winner rule.
"""

from dataclasses import replace

from ..campaigns.editing import StepSpec, create_campaign
from ..campaigns.models import Campaign
from ..campaigns.presets import build_preset

SPLIT = {
    "variants": [
        {"name": "Recommendations", "weight": 1, "next": "upsell"},
        {"name": "Cross-sell", "weight": 1, "next": "cross_sell"},
    ],
    "winner": {"min_recipients": 40, "probability": 0.9},
}


def create_ab_tested_upsell() -> Campaign:
    """The post-purchase upsell preset with an A/B split and a 15 % holdout, as a draft."""
    spec = build_preset("post_purchase_upsell", {"name": "Post-purchase upsell (A/B test)"})
    settle, upsell = spec.steps
    steps = (
        replace(settle, next_key="subject_test"),
        StepSpec("subject_test", "split", SPLIT, name="Which email sells more?"),
        replace(upsell, name="Recommendations"),
        StepSpec("cross_sell", "send", {"template": "order_cross_sell"}, name="Cross-sell"),
    )
    return create_campaign(replace(spec, steps=steps, holdout_share=15))
