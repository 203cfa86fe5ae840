"""Every model of the app, and whether it holds personal data: the record of processing.

A test compares these tables with the models Django knows: a new model fails it until it
is listed here, and a model listed as personal must appear in the export and be handled by
the erasure (the test then looks for the person in every text and JSON column of every
model).
"""

#: Model name -> what erasure does with its rows of the person.
PERSONAL_DATA = {
    "Contact": "email replaced by a placeholder, names, phone, birthday, attributes cleared",
    "ContactTag": "deleted",
    "ContactRevenue": "kept: order aggregates for reports, naming nobody once erased",
    "Consent": "deleted",
    "ConsentEvent": "IP address, user agent and page blanked; the fact of the change kept",
    "Event": "identifying payload keys dropped, dedupe key (but a deleted account's shop id) "
    "and error text replaced",
    "EventSummary": "kept: daily counts of event types and shop ids, naming nobody once erased",
    "Message": "links and error text dropped, queued messages suppressed",
    "DeliveryAttempt": "error and provider response blanked",
    "WebhookDelivery": "the contact's email dropped from the payload",
    "Enrollment": "trigger key and awaited value (checkout token) replaced",
    "Conversion": "kept: attributed revenue",
    "IssuedVoucher": "kept: codes credit orders to campaigns",
    "PushSubscription": "deleted",
    "NotifyRequest": "deleted",
    "SegmentMembership": "deleted",
    "ScoreEntry": "kept: points, naming nobody once erased",
    "Suppression": "deleted with the person's addresses",
}

#: Model name -> why it holds no personal data.
NO_PERSONAL_DATA = {
    "StandaloneSettings": "the shop's own settings in the standalone host",
    "SaleorInstallation": "the Saleor API this App serves and its encrypted App token",
    "Campaign": "the shop's campaign definitions",
    "Step": "the shop's flow steps",
    "ExperimentDecision": "aggregate results of a split test",
    "ShopPreset": "the shop's scenario templates",
    "CatalogueProduct": "the shop's products",
    "CatalogueVariant": "the shop's variants",
    "CatalogueCollection": "the shop's collections",
    "CataloguePage": "the shop's pages",
    "ImportCursor": "progress of an import",
    "Template": "the shop's email templates",
    "NewsletterTopic": "the shop's newsletter topics",
    "VapidKeys": "the shop's web push keys",
    "ScoreRule": "the shop's scoring rules",
    "Segment": "the shop's segment rules and counts",
    "PooledCode": "voucher codes not yet given to anyone",
    "FeedCopy": "cached public feeds",
    "ContentProblem": "per-campaign content problems, counted",
}
